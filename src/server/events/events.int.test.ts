// The live stream over real SSE: delivery, per-subscriber filtering, resume after a
// reconnect and after a hub restart without loss, and the queue cap for a reader that stalls.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeshEvent } from '@/lib/events';
import type { HubClient } from '@/lib/hub-client';
import { startTestHub, type TestHub } from '../../testing/test-hub';

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.destroy().catch(() => undefined);
});

async function start(options?: Parameters<typeof startTestHub>[0]) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return hub;
}

type Received = { id: string | undefined; event: MeshEvent | { type: 'resync' } };

/** Subscribes and collects what arrives; `until` resolves when `count` items arrived. */
function collect(client: HubClient, lastEventId?: string) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const subscription = client.events.stream.subscribe(lastEventId ? { lastEventId } : undefined, {
    onData(item) {
      const tracked = item as { id?: string; data?: MeshEvent };
      received.push(tracked.data ? { id: tracked.id, event: tracked.data } : { id: undefined, event: item as { type: 'resync' } });
      for (const waiter of waiters) if (received.length >= waiter.count) waiter.resolve();
    },
  });
  const until = (count: number, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (received.length >= count) return resolve();
      const timer = setTimeout(() => reject(new Error(`expected ${count} events, got ${received.length}`)), timeoutMs);
      waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { received, until, stop: () => subscription.unsubscribe() };
}

/** Waits until the hub has registered n stream subscribers. */
async function subscribers(testHub: TestHub, count: number) {
  for (let tries = 0; tries < 200; tries += 1) {
    if (testHub.hub.events.stats().subscribers >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('subscriber never connected');
}

describe('events.stream', () => {
  it('delivers an event to an authorised subscriber, and not to one without the permission', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const { token: workerToken } = await admin.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const asAdmin = collect(admin);
    const asWorker = collect(testHub.client({ token: workerToken }));
    await subscribers(testHub, 2);
    await admin.users.create.mutate({ username: 'streamed', role: 'viewer' });
    await asAdmin.until(1);
    expect(asAdmin.received[0]!.event).toMatchObject({ type: 'user_created', payload: { username: 'streamed' } });
    expect(asAdmin.received[0]!.id).toBe(String((asAdmin.received[0]!.event as MeshEvent).id));
    // The worker token lacks admin:users: it sees nothing of it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asWorker.received).toHaveLength(0);
    asAdmin.stop();
    asWorker.stop();
  });

  it('shows an agent token only its own agent’s scoped events', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const { token: archonToken } = await master.tokens.create.mutate({ agentId: 'archon', preset: 'admin' });
    const asArchon = collect(testHub.client({ token: archonToken }));
    await subscribers(testHub, 1);
    await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    await master.tokens.create.mutate({ agentId: 'archon', preset: 'mobile', label: 'phone' });
    await asArchon.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asArchon.received.map((item) => (item.event as MeshEvent).payload)).toEqual([expect.objectContaining({ agentId: 'archon', preset: 'mobile' })]);
    asArchon.stop();
  });

  it('resumes after a reconnect from the last event id without loss', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const first = collect(admin);
    await subscribers(testHub, 1);
    await admin.users.create.mutate({ username: 'before-drop', role: 'viewer' });
    await first.until(1);
    const lastId = first.received[0]!.id!;
    first.stop();
    // Missed while disconnected:
    await admin.users.create.mutate({ username: 'missed-1', role: 'viewer' });
    await admin.users.create.mutate({ username: 'missed-2', role: 'viewer' });
    const second = collect(admin, lastId);
    await second.until(2);
    await admin.users.create.mutate({ username: 'live-after', role: 'viewer' });
    await second.until(3);
    expect(second.received.map((item) => (item.event as MeshEvent<'user_created'>).payload.username)).toEqual(['missed-1', 'missed-2', 'live-after']);
    second.stop();
  });

  it('resumes across a hub restart from the event log', async () => {
    const first = await start();
    const admin = first.client({ token: first.masterToken });
    await admin.users.create.mutate({ username: 'old-1', role: 'viewer' });
    const lastBeforeRestart = await first.hub.db.eventLog.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await admin.users.create.mutate({ username: 'old-2', role: 'viewer' });
    await first.stop();
    hubs.splice(hubs.indexOf(first), 1);

    const restarted = await start({ dataDir: first.dataDir, masterToken: first.masterToken, adminPassword: first.adminPassword });
    const resumed = collect(restarted.client({ token: first.masterToken }), String(lastBeforeRestart.id));
    await resumed.until(1);
    expect((resumed.received[0]!.event as MeshEvent<'user_created'>).payload.username).toBe('old-2');
    resumed.stop();
  });

  it('caps a stalled reader’s queue: the hub drops its oldest events instead of growing', async () => {
    const testHub = await start();
    const url = new URL(testHub.url);
    // A raw HTTP client that sends the request and then never reads the response.
    const socket = net.connect(Number(url.port), url.hostname);
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `GET /api/trpc/events.stream HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${testHub.masterToken}\r\n\r\n`,
    );
    await subscribers(testHub, 1);
    const rssBefore = process.memoryUsage().rss;
    const payloadFiller = 'x'.repeat(40);
    const total = 3000;
    for (let index = 0; index < total; index += 1) {
      await testHub.hub.events.publish('user_updated', { userId: String(index), username: payloadFiller + index, role: 'viewer', disabled: false }, { permission: 'admin:users' });
    }
    const stats = testHub.hub.events.stats();
    expect(stats.subscribers).toBe(1);
    expect(stats.queued[0]).toBeLessThanOrEqual(500);
    expect(stats.dropped[0]).toBeGreaterThan(0);
    // Everything published was logged, even though the reader kept only its cap.
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'user_updated' } })).toBe(total);
    // Generous bound: 3,000 events never grow this process by the size of an unbounded queue per event copy.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    socket.destroy();
  });
});
