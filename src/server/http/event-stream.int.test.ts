// GET /api/stream over real HTTP: the SSE frames, who may open it, per-principal filtering,
// the types filter, resume by Last-Event-ID, the keepalive, and a stalled reader dropped with a
// final `event: overflow` instead of growing the hub.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeshEvent, StreamItem } from '@/lib/events';
import { openEventStream, type EventStreamError, type OverflowMarker } from '@/lib/event-stream-client';
import { waitForSubscribers } from '../../testing/event-collector';
import { loginCookie, startTestHub, type TestHub } from '../../testing/test-hub';

const hubs: TestHub[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const hub of hubs.splice(0)) await hub.destroy().catch(() => undefined);
});

async function start(env?: Record<string, string>) {
  const hub = await startTestHub({ env });
  hubs.push(hub);
  return hub;
}

/** Opens GET /api/stream with fetch and reads its raw text; `until` waits for a substring. */
async function rawStream(url: string, headers: Record<string, string>, query = '') {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/stream${query}`, { headers, signal: controller.signal });
  let text = '';
  const reader = response.body!.getReader();
  const pump = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        text += new TextDecoder().decode(chunk.value);
      }
    } catch {
      // aborted
    }
  })();
  closers.push(() => controller.abort());
  return {
    response,
    get text() {
      return text;
    },
    async until(predicate: (text: string) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(text)) {
        if (Date.now() > deadline) throw new Error(`stream never matched; got: ${text.slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => controller.abort(),
    done: pump,
  };
}

/** The SSE frames of a text (blank-line separated), comments dropped. */
function frames(text: string): { id?: string; event?: string; data?: any }[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line && !line.startsWith(':') && !line.startsWith('retry:')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const frame: { id?: string; event?: string; data?: any } = {};
      for (const line of lines) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') frame.id = value;
        if (field === 'event') frame.event = value;
        if (field === 'data') frame.data = JSON.parse(value);
      }
      return frame;
    });
}

/** The shared stream client, collecting what it receives. */
function follow(testHub: TestHub, options: { token?: string; cookie?: string; types?: ('task_created' | 'context_updated' | 'agent_updated')[] }) {
  const received: (StreamItem | OverflowMarker)[] = [];
  const errors: EventStreamError[] = [];
  const connection = openEventStream({ hubUrl: testHub.url, ...options, onEvent: (item) => received.push(item), onError: (error) => errors.push(error) });
  closers.push(() => connection.close());
  return {
    received,
    errors,
    connection,
    async until(count: number) {
      for (let tries = 0; tries < 1000 && received.length < count; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      if (received.length < count) throw new Error(`expected ${count} items, got ${received.length}`);
    },
  };
}

const agentEvent = (testHub: TestHub, agentId: string) =>
  testHub.hub.events.publish('agent_updated', { agentId, name: agentId, status: 'online', activeTasks: 0, maxConcurrent: 1 }, { permission: 'agents:read', agentId });

describe('GET /api/stream', () => {
  it('sends each event as an SSE frame with id, event type and the public JSON, and refuses the unauthenticated and the unpermitted', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const stream = await rawStream(testHub.url, { Authorization: `Bearer ${testHub.masterToken}` });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    await waitForSubscribers(testHub, 1);
    await master.users.create.mutate({ username: 'framed', role: 'viewer' });
    await stream.until((text) => text.includes('event: user_created'));
    const [frame] = frames(stream.text);
    expect(frame).toEqual({ id: String(frame!.data.id), event: 'user_created', data: { id: Number(frame!.id), type: 'user_created', ts: expect.any(String), payload: expect.objectContaining({ username: 'framed' }) } });
    stream.close();

    const anonymous = await fetch(`${testHub.url}/api/stream`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toMatchObject({ code: 'unauthorized' });
    const badToken = await fetch(`${testHub.url}/api/stream`, { headers: { Authorization: 'Bearer not-a-token' } });
    expect(badToken.status).toBe(401);
    expect((await badToken.json()).error.message).toBe('invalid or revoked token');
    const { token: noRead } = await master.tokens.create.mutate({ agentId: 'mute', permissions: ['messages:read'] });
    const forbidden = await fetch(`${testHub.url}/api/stream`, { headers: { Authorization: `Bearer ${noRead}` } });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error).toEqual({ code: 'forbidden', message: 'missing permission agents:read' });
    const badTypes = await fetch(`${testHub.url}/api/stream?types=task_created,no_such_event`, { headers: { Authorization: `Bearer ${testHub.masterToken}` } });
    expect(badTypes.status).toBe(400);
    expect((await badTypes.json()).error).toMatchObject({ code: 'bad_input', field: 'types' });
    const badId = await fetch(`${testHub.url}/api/stream`, { headers: { Authorization: `Bearer ${testHub.masterToken}`, 'Last-Event-ID': 'x1' } });
    expect(badId.status).toBe(400);
    expect((await badId.json()).error).toMatchObject({ code: 'bad_input', field: 'lastEventId' });
    expect(testHub.hub.events.stats().subscribers).toBe(0);
  });

  it('filters per principal: a commander token and a cookie session see the whole mesh, a worker token its own agent and broadcasts', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const tokenFor = async (agentId: string, preset: 'commander' | 'worker') => (await master.tokens.create.mutate({ agentId, preset })).token;
    const commander = follow(testHub, { token: await tokenFor('fred', 'commander') });
    const worker = follow(testHub, { token: await tokenFor('rex', 'worker') });
    await master.users.create.mutate({ username: 'watcher', role: 'viewer', password: 'watcher-password-1' });
    const viewer = follow(testHub, { cookie: await loginCookie(testHub.url, { username: 'watcher', password: 'watcher-password-1' }) });
    await waitForSubscribers(testHub, 3);
    await agentEvent(testHub, 'crucible');
    await agentEvent(testHub, 'rex');
    await testHub.hub.events.publish('context_updated', { key: 'k', value: 'v', setBy: 'master' }, { permission: 'messages:read' });
    // admin:users: neither the worker nor the viewer may see it.
    await master.users.create.mutate({ username: 'secret-user', role: 'viewer' });
    await commander.until(3);
    await worker.until(2);
    await viewer.until(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = (items: (StreamItem | OverflowMarker)[]) => items.map((item) => ('agentId' in item.payload ? item.payload.agentId : item.type));
    expect(seen(commander.received)).toEqual(['crucible', 'rex', 'context_updated']);
    expect(seen(worker.received)).toEqual(['rex', 'context_updated']);
    expect(seen(viewer.received)).toEqual(['crucible', 'rex', 'context_updated']);
  });

  it('sends only the asked-for types', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const stream = follow(testHub, { token: testHub.masterToken, types: ['context_updated'] });
    await waitForSubscribers(testHub, 1);
    await master.users.create.mutate({ username: 'not-asked-for', role: 'viewer' });
    await master.context.set.mutate({ key: 'wanted', value: 'yes' });
    await stream.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.received.map((item) => item.type)).toEqual(['context_updated']);
  });

  it('resumes from the Last-Event-ID header (and ?lastEventId=), replaying what was missed, then live', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    await master.context.set.mutate({ key: 'before', value: '0' });
    const lastSeen = await testHub.hub.db.eventLog.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await master.context.set.mutate({ key: 'missed-1', value: '1' });
    await master.context.set.mutate({ key: 'missed-2', value: '2' });
    const headers = { Authorization: `Bearer ${testHub.masterToken}`, 'Last-Event-ID': String(lastSeen.id) };
    const resumed = await rawStream(testHub.url, headers, '?types=context_updated');
    await resumed.until((text) => frames(text).length >= 2);
    await master.context.set.mutate({ key: 'live', value: '3' });
    await resumed.until((text) => frames(text).length >= 3);
    expect(frames(resumed.text).map((frame) => frame.data.payload.key)).toEqual(['missed-1', 'missed-2', 'live']);
    const ids = frames(resumed.text).map((frame) => Number(frame.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const viaQuery = await rawStream(testHub.url, { Authorization: `Bearer ${testHub.masterToken}` }, `?types=context_updated&lastEventId=${lastSeen.id}`);
    await viaQuery.until((text) => frames(text).length >= 3);
    expect(frames(viaQuery.text).map((frame) => frame.data.payload.key)).toEqual(['missed-1', 'missed-2', 'live']);
  });

  it('the stream client resumes by itself after the hub closes its connection', async () => {
    const testHub = await start();
    const master = testHub.client({ token: testHub.masterToken });
    const stream = follow(testHub, { token: testHub.masterToken, types: ['context_updated'] });
    await waitForSubscribers(testHub, 1);
    await master.context.set.mutate({ key: 'first', value: '1' });
    await stream.until(1);
    testHub.hub.events.closeAll(); // the hub drops every stream (as on shutdown)
    await master.context.set.mutate({ key: 'while-down', value: '2' });
    await stream.until(2);
    await master.context.set.mutate({ key: 'after', value: '3' });
    await stream.until(3);
    expect(stream.received.map((item) => (item as MeshEvent<'context_updated'>).payload.key)).toEqual(['first', 'while-down', 'after']);
  });

  it('writes a keepalive comment at the configured interval', async () => {
    const testHub = await start({ MESH_STREAM_KEEPALIVE_SECONDS: '1' });
    const stream = await rawStream(testHub.url, { Authorization: `Bearer ${testHub.masterToken}` });
    await stream.until((text) => text.includes(': keepalive\n\n'), 5_000);
    expect(frames(stream.text)).toEqual([]);
  });

  it('drops a reader that stops reading with a final event: overflow, and frees its slot', async () => {
    const testHub = await start();
    const url = new URL(testHub.url);
    const socket = net.connect(Number(url.port), url.hostname);
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // HTTP/1.0: no chunked encoding, so the bytes read are the SSE text itself.
    socket.write(`GET /api/stream?types=context_updated HTTP/1.0\r\nHost: ${url.host}\r\nAuthorization: Bearer ${testHub.masterToken}\r\n\r\n`);
    await waitForSubscribers(testHub, 1);
    // Enough bytes to fill both kernel socket buffers, then more than the 500-event queue.
    const value = 'x'.repeat(16 * 1024);
    let published = 0;
    while (testHub.hub.events.stats().subscribers > 0 && published < 5_000) {
      await testHub.hub.events.publish('context_updated', { key: `k${published}`, value, setBy: 'master' }, { permission: 'messages:read' });
      published += 1;
    }
    expect(testHub.hub.events.stats().subscribers).toBe(0);
    expect(testHub.hub.events.stats().droppedTotal).toBeGreaterThan(0);
    // What the reader gets when it reads again: the events that were written, then the overflow frame, then the end.
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.resume();
    await new Promise<void>((resolve) => socket.once('end', () => resolve()));
    const last = frames(text.slice(text.lastIndexOf('event: overflow')));
    expect(last).toEqual([{ event: 'overflow', data: { id: 0, type: 'overflow', ts: expect.any(String), payload: { dropped: expect.any(Number) } } }]);
    expect(last[0]!.data.payload.dropped).toBeGreaterThan(0);
    socket.destroy();
  });
});
