// The live stream over real SSE: delivery, per-subscriber filtering, resume after a
// reconnect and after a hub restart without loss, and the queue cap for a reader that stalls.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeshEvent } from '@/lib/events';
import type { HubClient } from '@/lib/hub-client';
import { loginCookie, startTestHub, type TestHub } from '../../testing/test-hub';

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
    // Token events need admin:tokens; without agents:write the token acts for its own agent only.
    const { token: archonToken } = await master.tokens.create.mutate({ agentId: 'archon', permissions: ['agents:read', 'admin:tokens'] });
    const asArchon = collect(testHub.client({ token: archonToken }));
    await subscribers(testHub, 1);
    await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    await master.tokens.create.mutate({ agentId: 'archon', preset: 'mobile', label: 'phone' });
    await asArchon.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(asArchon.received.map((item) => (item.event as MeshEvent).payload)).toEqual([expect.objectContaining({ agentId: 'archon', preset: 'mobile' })]);
    asArchon.stop();
  });

  it('lets a commander token watch the whole mesh, while worker and mobile tokens see only their own agent', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const tokenFor = async (agentId: string, preset: 'commander' | 'worker' | 'mobile') => (await master.tokens.create.mutate({ agentId, preset })).token;
    const asCommander = collect(testHub.client({ token: await tokenFor('fred-commander', 'commander') }));
    const asWorker = collect(testHub.client({ token: await tokenFor('rex', 'worker') }));
    const asMobile = collect(testHub.client({ token: await tokenFor('n0d3-1', 'mobile') }));
    await subscribers(testHub, 3);
    const agentEvent = (agentId: string) =>
      testHub.hub.events.publish('agent_updated', { agentId, name: agentId, status: 'online', activeTasks: 0, maxConcurrent: 1 }, { permission: 'agents:read', agentId });
    await agentEvent('crucible');
    await agentEvent('rex');
    await agentEvent('n0d3-1');
    await testHub.hub.events.publish('context_updated', { key: 'k', value: 'v', setBy: 'master' }, { permission: 'messages:read' });
    await asCommander.until(4);
    await asWorker.until(2);
    await asMobile.until(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = (collector: ReturnType<typeof collect>) =>
      collector.received.map(({ event }) => ('payload' in event && 'agentId' in event.payload ? event.payload.agentId : event.type));
    expect(seen(asCommander)).toEqual(['crucible', 'rex', 'n0d3-1', 'context_updated']);
    expect(seen(asWorker)).toEqual(['rex', 'context_updated']);
    expect(seen(asMobile)).toEqual(['n0d3-1', 'context_updated']);
    for (const collector of [asCommander, asWorker, asMobile]) collector.stop();
  });

  it('sends clients only an event’s public fields: id, type, ts, payload', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const stream = collect(master);
    await subscribers(testHub, 1);
    await master.users.create.mutate({ username: 'public-fields', role: 'viewer' });
    await stream.until(1);
    expect(Object.keys(stream.received[0]!.event).sort()).toEqual(['id', 'payload', 'ts', 'type']);
    stream.stop();
    // Replayed events (from the ring) are projected the same way.
    const replay = collect(master, '0');
    await replay.until(1);
    for (const { event } of replay.received) expect(Object.keys(event).sort()).toEqual(['id', 'payload', 'ts', 'type']);
    replay.stop();
  });

  it('holds at most 10 streams per principal: an 11th closes the oldest after a stream_limit marker', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    await master.users.create.mutate({ username: 'many-tabs', role: 'viewer', password: 'many-tabs-password' });
    const cookie = await loginCookie(testHub.url, { username: 'many-tabs', password: 'many-tabs-password' });
    const viewer = testHub.client({ cookie });
    let oldestCompleted = false;
    const oldestItems: unknown[] = [];
    const oldest = viewer.events.stream.subscribe(undefined, {
      onData: (item) => oldestItems.push(item),
      onComplete: () => {
        oldestCompleted = true;
      },
    });
    await subscribers(testHub, 1);
    const others = Array.from({ length: 9 }, () => collect(viewer));
    await subscribers(testHub, 10);
    // Another principal's streams do not count against the viewer's.
    const masterStream = collect(master);
    await subscribers(testHub, 11);
    const eleventh = collect(viewer);
    for (let tries = 0; tries < 300 && !oldestCompleted; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(oldestCompleted).toBe(true);
    expect(oldestItems).toEqual([{ id: 0, type: 'resync', ts: expect.any(String), payload: { reason: 'stream_limit' } }]);
    for (let tries = 0; tries < 300 && testHub.hub.events.stats().subscribers !== 11; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(testHub.hub.events.stats().subscribers).toBe(11); // 10 of the viewer's, 1 of the master's
    // The newest stream is live.
    await master.context.set.mutate({ key: 'after-limit', value: 'v' });
    await eleventh.until(1);
    await masterStream.until(1);
    oldest.unsubscribe();
    for (const stream of [...others, eleventh, masterStream]) stream.stop();
  });

  it('answers a stream request with a malformed session cookie as unauthenticated (401), not 500', async () => {
    const testHub = await start();
    const controller = new AbortController();
    const response = await fetch(`${testHub.url}/api/trpc/events.stream`, {
      headers: { Accept: 'text/event-stream', Cookie: 'm3sh_session=%E0%A4%A' },
      signal: controller.signal,
    });
    // tRPC's SSE protocol opens the stream, then sends the procedure's error as an event.
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('serialized-error')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    const errorData = JSON.parse(/event: serialized-error\ndata: (.*)\n/.exec(text)![1]!);
    expect(errorData.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
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
