// Third-party API keys over real HTTP on a real hub: the per-minute limit and the daily cap each
// refuse at the right call (429, Retry-After, the message naming the limit), the daily count
// survives a restart, a revoked key stops at once, an empty permission list grants nothing, and a
// key works on tRPC and the event stream. Time moves on the hub's injected clock, never by sleeping.
import { afterEach, describe, expect, it } from 'vitest';
import { collectEvents, waitForSubscribers } from '../../testing/event-collector';
import { ManualClock } from '../../testing/manual-clock';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.destroy().catch(() => undefined);
});

async function start(options?: Parameters<typeof startTestHub>[0]) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return hub;
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function me(url: string, key: string) {
  const response = await fetch(`${url}/api/trpc/account.me`, { headers: bearer(key) });
  const body = (await response.json()) as { result?: { data: { kind: string; name: string } }; error?: { message: string } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

/** tRPC's SSE protocol opens the stream, then sends a refused subscription's error as an event. */
async function streamError(url: string, key: string): Promise<{ code: string; httpStatus: number; message: string }> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/trpc/events.stream`, { headers: { ...bearer(key), Accept: 'text/event-stream' }, signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('serialized-error')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  controller.abort();
  const match = /event: serialized-error\ndata: (.*)\n/.exec(text);
  if (!match) throw new Error(`no error event in: ${text.slice(0, 300)}`);
  return JSON.parse(match[1]!).data;
}

/** Waits until the hub holds no stream subscriber (the client side has not unsubscribed). */
async function noSubscribersLeft(testHub: TestHub): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    if (testHub.hub.events.stats().subscribers === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the stream of the revoked key is still open');
}

describe('API keys', () => {
  it('refuses at the per-minute limit and at the daily cap (UTC day), and the daily count survives a restart', async () => {
    const clock = new ManualClock('2026-03-01T23:58:30Z');
    const testHub = await start({ clock });
    const admin = testHub.client({ token: testHub.masterToken });
    const { key, view } = await admin.keys.create.mutate({ name: 'siri', permissions: ['tasks:read'], rateLimitPerMinute: 3, dailyCap: 5 });
    expect(key).toMatch(/^m3shd_key_[A-Za-z0-9_-]{43}$/);
    expect(view).toMatchObject({ name: 'siri', rateLimitPerMinute: 3, dailyCap: 5, usageToday: 0 });
    // Only the hash is stored.
    const stored = await testHub.hub.db.apiKey.findUniqueOrThrow({ where: { id: view.id } });
    expect(stored.keyHash).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key.slice('m3shd_key_'.length));

    for (let call = 1; call <= 3; call += 1) {
      const answer = await me(testHub.url, key);
      expect(answer.status).toBe(200);
      expect(answer.body.result?.data).toMatchObject({ kind: 'apiKey', name: 'siri' });
    }
    const overMinute = await me(testHub.url, key);
    expect(overMinute.status).toBe(429);
    expect(overMinute.body.error?.message).toMatch(/per-minute limit of 3 requests/);
    expect(Number(overMinute.retryAfter)).toBe(60);
    // The event stream is refused the same way.
    expect(await streamError(testHub.url, key)).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, message: expect.stringMatching(/per-minute limit/) });

    clock.advance(61_000); // 23:59:31: a new minute, the same UTC day
    expect((await me(testHub.url, key)).status).toBe(200);
    expect((await me(testHub.url, key)).status).toBe(200);
    const overDay = await me(testHub.url, key);
    expect(overDay.status).toBe(429);
    expect(overDay.body.error?.message).toMatch(/daily cap of 5 requests \(UTC day\)/);
    expect(Number(overDay.retryAfter)).toBe(29); // until 00:00:00 UTC
    const [listed] = await admin.keys.list.query();
    expect(listed).toMatchObject({ id: view.id, usageToday: 5, usageTotal: 5, lastUsedAt: '2026-03-01T23:59:31.000Z' });

    // The daily count is in the database: a restarted hub still refuses the key today.
    await testHub.stop();
    const restarted = await start({ clock, dataDir: testHub.dataDir, masterToken: testHub.masterToken, adminPassword: testHub.adminPassword });
    const afterRestart = await me(restarted.url, key);
    expect(afterRestart.status).toBe(429);
    expect(afterRestart.body.error?.message).toMatch(/daily cap/);

    clock.advance(30_000); // 00:00:01 UTC: a new day
    expect((await me(restarted.url, key)).status).toBe(200);
    const [nextDay] = await restarted.client({ token: restarted.masterToken }).keys.list.query();
    expect(nextDay).toMatchObject({ usageToday: 1, usageTotal: 6 });
  });

  it('lets exactly the cap through when requests arrive at once', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const { key, view } = await admin.keys.create.mutate({ name: 'burst', permissions: ['tasks:read'], rateLimitPerMinute: 100, dailyCap: 4 });
    const statuses = await Promise.all(Array.from({ length: 12 }, () => me(testHub.url, key).then((answer) => answer.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8);
    expect((await admin.keys.list.query()).find((entry) => entry.id === view.id)).toMatchObject({ usageToday: 4, usageTotal: 4 });
  });

  it('works on tRPC and the event stream with its permissions; an empty list grants nothing; a revoked key stops at once', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const { key } = await admin.keys.create.mutate({ name: 'dashboard-script', permissions: ['tasks:read', 'tasks:write', 'agents:read'] });
    const { key: emptyKey } = await admin.keys.create.mutate({ name: 'nothing', permissions: [] });

    const asKey = testHub.client({ token: key });
    const events = collectEvents(asKey);
    await waitForSubscribers(testHub, 1);
    const created = await asKey.tasks.create.mutate({ title: 'from a key', prompt: 'hello' });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: created.id } })).createdBy).toBe('key:dashboard-script');
    await events.waitFor('task_created', (event) => event.payload.taskId === created.id);
    const listed = await asKey.tasks.list.query({});
    expect(listed.tasks.map((task) => task.id)).toContain(created.id);

    // Empty permission list: authenticated, yet refused everywhere.
    const refused = await rawCall(testHub.url, 'tasks.list', { type: 'query', input: {}, headers: bearer(emptyKey) });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('missing permission tasks:read');
    expect(await streamError(testHub.url, emptyKey)).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, message: 'missing permission agents:read' });

    // Revoked: the open stream ends at once, and the next request is refused.
    const [row] = (await admin.keys.list.query()).filter((entry) => entry.name === 'dashboard-script');
    await admin.keys.revoke.mutate({ keyId: row!.id });
    await noSubscribersLeft(testHub);
    events.stop();
    const afterRevoke = await rawCall(testHub.url, 'tasks.list', { type: 'query', input: {}, headers: bearer(key) });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toBe('invalid or revoked token');
    expect(await streamError(testHub.url, key)).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect((await admin.keys.list.query()).map((entry) => entry.name)).toEqual(['nothing']);
    expect((await admin.keys.list.query({ includeRevoked: true })).find((entry) => entry.id === row!.id)?.revokedAt).not.toBeNull();
  });

  it('needs admin:tokens, and the master token for admin-grade permissions; nothing is created when refused', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const cookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
    const asAdminUser = testHub.client({ cookie, origin: testHub.url });
    await expect(asAdminUser.keys.create.mutate({ name: 'too-strong', permissions: ['admin:users'] })).rejects.toThrow(/needs the master token/);
    const fine = await asAdminUser.keys.create.mutate({ name: 'commander-grade', permissions: ['tasks:read', 'admin:analytics'] });
    expect(fine.view.createdBy).toBe('user:admin');
    const strong = await admin.keys.create.mutate({ name: 'strong', permissions: ['admin:users'] });
    expect(strong.view.permissions).toEqual(['admin:users']);
    const { key: plainKey } = await admin.keys.create.mutate({ name: 'reader', permissions: ['tasks:read'] });
    const refused = await rawCall(testHub.url, 'keys.list', { type: 'query', headers: bearer(plainKey) });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('missing permission admin:tokens');
    const bad = await rawCall(testHub.url, 'keys.create', { type: 'mutation', input: { name: 'x', permissions: [], rateLimitPerMinute: 0 }, headers: bearer(testHub.masterToken) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.field).toBe('rateLimitPerMinute');
    expect((await admin.keys.list.query()).map((entry) => entry.name)).toEqual(['commander-grade', 'strong', 'reader']);
  });
});
