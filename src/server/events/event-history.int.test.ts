// events.history over real HTTP: the event log read backwards in pages without gaps or
// duplicates, filtered by type and text, and with the live stream's per-principal visibility.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { createTask, registerWorker, type TestWorker } from '../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let master: HubClient;
let rex: TestWorker;

beforeAll(async () => {
  testHub = await startTestHub();
  master = testHub.client({ token: testHub.masterToken });
  rex = await registerWorker(testHub, { id: 'rex', capabilities: ['code'] });
  await registerWorker(testHub, { id: 'max', capabilities: ['gpu'] });
  for (let index = 0; index < 7; index += 1) await createTask(testHub, { title: `render frame ${index}`, requiredCapability: 'gpu' });
  await createTask(testHub, { title: 'Compile the Kernel', requiredCapability: 'code' });
});

afterAll(async () => {
  await testHub.destroy();
});

describe('events.history', () => {
  it('pages backwards through the whole log, newest first, without gaps or duplicates', async () => {
    const all = await testHub.hub.db.eventLog.findMany({ select: { id: true }, orderBy: { id: 'desc' } });
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await master.events.history.query({ beforeId, limit: 4 });
      seen.push(...result.events.map((event) => event.id));
      if (result.nextBeforeId === null) break;
      beforeId = result.nextBeforeId;
    }
    expect(seen).toEqual(all.map((row) => row.id));
    const newest = await master.events.history.query();
    expect(newest.events[0]).not.toHaveProperty('scope');
    expect(newest.events[0]!.id).toBe(all[0]!.id);
  });

  it('filters by type and by text in the payload', async () => {
    const created = await master.events.history.query({ types: ['task_created'] });
    expect(created.events).toHaveLength(8);
    expect(created.events.every((event) => event.type === 'task_created')).toBe(true);
    const kernel = await master.events.history.query({ text: 'kernel' });
    expect(kernel.events.length).toBeGreaterThan(0);
    expect(kernel.events.every((event) => JSON.stringify(event.payload).toLowerCase().includes('kernel'))).toBe(true);
    const none = await master.events.history.query({ text: '100%_' });
    expect(none.events).toEqual([]);
  });

  it('shows a worker token only its own agent’s events and broadcasts, as the live stream does', async () => {
    const asRex = await rex.client.events.history.query({ limit: 200 });
    const agents = asRex.events.map((event) => (event.payload as { agentId?: string; assignedTo?: string | null }).agentId ?? (event.payload as { assignedTo?: string | null }).assignedTo);
    expect(agents).not.toContain('max');
    expect(asRex.events.some((event) => event.type === 'agent_online' && event.payload.agentId === 'rex')).toBe(true);
    expect(asRex.events.some((event) => event.type === 'agent_online' && event.payload.agentId === 'max')).toBe(false);
  });

  it('refuses a page larger than the limit, naming the field, and a caller without a session', async () => {
    const tooMany = await rawCall(testHub.url, 'events.history', { type: 'query', input: { limit: 201 }, headers: { Authorization: `Bearer ${testHub.masterToken}` } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.data.field).toBe('limit');
    const anonymous = await rawCall(testHub.url, 'events.history', { type: 'query' });
    expect(anonymous.status).toBe(401);
  });
});
