// escalations.* over real HTTP with MESH_ESCALATION_CHAIN=rex,archon,operator: routing along
// the chain, the open → acknowledged → resolved lifecycle, permissions, events and the
// onCreated hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { collectEvents, waitForSubscribers, type EventCollector } from '../../testing/event-collector';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';
import { EscalationService, type EscalationView } from '../services/escalation-service';

let testHub: TestHub;
let master: HubClient;
let stream: EventCollector;
let operatorHeaders: Record<string, string>;
let viewerHeaders: Record<string, string>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  testHub = await startTestHub({ env: { MESH_ESCALATION_CHAIN: 'rex,archon,operator' } });
  master = testHub.client({ token: testHub.masterToken });
  await master.users.create.mutate({ username: 'olga', role: 'user', password: 'olga-escalation-password' });
  await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-escalation-password' });
  operatorHeaders = { Cookie: await loginCookie(testHub.url, { username: 'olga', password: 'olga-escalation-password' }), Origin: testHub.url };
  viewerHeaders = { Cookie: await loginCookie(testHub.url, { username: 'vera', password: 'vera-escalation-password' }), Origin: testHub.url };
  for (const agentId of ['rex', 'archon', 'crucible']) tokens[agentId] = (await master.tokens.create.mutate({ agentId, preset: 'worker' })).token;
  stream = collectEvents(master);
  await waitForSubscribers(testHub, 1);
});

afterAll(async () => {
  stream.stop();
  await testHub.destroy();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('escalate', () => {
  it('routes rex → archon, archon → operator, an agent outside the chain → operator', async () => {
    expect(testHub.hub.config.escalationChain).toEqual(['rex', 'archon', 'operator']);
    const fromRex = await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: 'task-1', reason: '3 consecutive failures' });
    const fromArchon = await testHub.hub.escalations.escalate({ fromAgent: 'archon', taskId: 'task-2', reason: '3 consecutive failures' });
    const fromUnknown = await testHub.hub.escalations.escalate({ fromAgent: 'n0d3-1', taskId: null, reason: 'stuck' });
    expect([fromRex.toAgent, fromArchon.toAgent, fromUnknown.toAgent]).toEqual(['archon', 'operator', 'operator']);

    const row = await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: fromRex.id } });
    expect(row).toMatchObject({ fromAgent: 'rex', toAgent: 'archon', taskId: 'task-1', reason: '3 consecutive failures', status: 'open' });
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: fromUnknown.id } })).taskId).toBeNull();

    const event = await stream.waitFor('escalation_created', (item) => item.payload.escalationId === fromRex.id);
    expect(event.payload).toEqual({ escalationId: fromRex.id, fromAgent: 'rex', toAgent: 'archon', taskId: 'task-1', reason: '3 consecutive failures' });
    const logged = await testHub.hub.db.eventLog.findFirstOrThrow({ where: { type: 'escalation_created', id: event.id } });
    expect(logged).toMatchObject({ permission: 'tasks:read', agentId: 'rex' });
  });

  it('calls the onCreated hook after the escalation is stored', async () => {
    const seen: { view: EscalationView; stored: boolean }[] = [];
    const { db, clock, events } = testHub.hub;
    let hookDone!: () => void;
    const hookCalled = new Promise<void>((resolve) => (hookDone = resolve));
    const service = new EscalationService({
      db,
      clock,
      events,
      escalationChain: ['rex', 'archon', 'operator'],
      onCreated: async (view) => {
        seen.push({ view, stored: (await db.escalation.count({ where: { id: view.id } })) === 1 });
        hookDone();
      },
    });
    const created = await service.escalate({ fromAgent: 'rex', taskId: 'task-hook', reason: 'hook' });
    await hookCalled;
    expect(seen).toEqual([{ view: created, stored: true }]);

    // A failing hook does not fail the escalation.
    const failing = new EscalationService({ db, clock, events, escalationChain: ['operator'], onCreated: () => Promise.reject(new Error('ntfy down')) });
    expect((await failing.escalate({ fromAgent: 'rex', taskId: null, reason: 'still stored' })).toAgent).toBe('operator');
  });
});

describe('escalations.acknowledge / resolve', () => {
  it('moves open → acknowledged → resolved; anything else is a conflict', async () => {
    const escalation = await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: 'task-3', reason: 'lifecycle' });
    const olga = testHub.client({ cookie: operatorHeaders.Cookie, origin: testHub.url });

    expect(await olga.escalations.acknowledge.mutate({ escalationId: escalation.id })).toMatchObject({ status: 'acknowledged' });
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('acknowledged');
    await stream.waitFor('escalation_updated', (item) => item.payload.escalationId === escalation.id && item.payload.status === 'acknowledged');
    const ackAgain = await rawCall(testHub.url, 'escalations.acknowledge', { type: 'mutation', input: { escalationId: escalation.id }, headers: operatorHeaders });
    expect(ackAgain.status).toBe(409);

    expect(await master.escalations.resolve.mutate({ escalationId: escalation.id })).toMatchObject({ status: 'resolved' });
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('resolved');
    await stream.waitFor('escalation_updated', (item) => item.payload.escalationId === escalation.id && item.payload.status === 'resolved');
    for (const verb of ['acknowledge', 'resolve']) {
      const closed = await rawCall(testHub.url, `escalations.${verb}`, { type: 'mutation', input: { escalationId: escalation.id }, headers: operatorHeaders });
      expect(closed.status).toBe(409);
    }
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('resolved');
  });

  it('resolves straight from open, and answers 404 for an unknown id', async () => {
    const escalation = await testHub.hub.escalations.escalate({ fromAgent: 'crucible', taskId: null, reason: 'quick fix' });
    expect(await master.escalations.resolve.mutate({ escalationId: escalation.id })).toMatchObject({ status: 'resolved' });
    const unknown = await rawCall(testHub.url, 'escalations.resolve', { type: 'mutation', input: { escalationId: 'nope' }, headers: operatorHeaders });
    expect(unknown.status).toBe(404);
  });

  it('lets the addressed agent acknowledge, but not an agent the escalation does not concern', async () => {
    const escalation = await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: 'task-4', reason: 'for archon' });
    const outsider = await rawCall(testHub.url, 'escalations.acknowledge', { type: 'mutation', input: { escalationId: escalation.id }, headers: bearer(tokens.crucible!) });
    expect(outsider.status).toBe(403);
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('open');
    const archon = testHub.client({ token: tokens.archon! });
    expect(await archon.escalations.acknowledge.mutate({ escalationId: escalation.id })).toMatchObject({ status: 'acknowledged' });
  });

  it('lets a viewer list escalations but not change them', async () => {
    const escalation = await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: null, reason: 'viewer check' });
    const list = await rawCall(testHub.url, 'escalations.list', { type: 'query', headers: viewerHeaders });
    expect(list.status).toBe(200);
    expect(list.body.result.data.some((item: { id: string }) => item.id === escalation.id)).toBe(true);
    const denied = await rawCall(testHub.url, 'escalations.acknowledge', { type: 'mutation', input: { escalationId: escalation.id }, headers: viewerHeaders });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('tasks:write');
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('open');
  });
});

describe('escalations.list', () => {
  it('filters by status; an agent token sees the escalations from or to its agent', async () => {
    const open = await master.escalations.list.query({ status: 'open' });
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((item) => item.status === 'open')).toBe(true);
    const resolved = await master.escalations.list.query({ status: 'resolved' });
    expect(resolved.length).toBeGreaterThanOrEqual(2);

    const asArchon = await testHub.client({ token: tokens.archon! }).escalations.list.query();
    expect(asArchon.length).toBeGreaterThan(0);
    expect(asArchon.every((item) => item.fromAgent === 'archon' || item.toAgent === 'archon')).toBe(true);
    expect(asArchon.some((item) => item.fromAgent === 'rex')).toBe(true);
    const asCrucible = await testHub.client({ token: tokens.crucible! }).escalations.list.query();
    expect(asCrucible.every((item) => item.fromAgent === 'crucible' || item.toAgent === 'crucible')).toBe(true);
  });
});
