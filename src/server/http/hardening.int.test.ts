// Defects a fuzz run and a review found, each pinned over real HTTP: a concurrent login burst
// past the limiter, unbounded tRPC batches and password checks, 500s for hostile input (chat
// command words, a username race, malformed cookies and URLs), and logout without an Origin.
import path from 'node:path';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@/lib/limits';
import { ManualClock } from '../../testing/manual-clock';
import { loginCookie, makeTempDir, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';
import { loadConfig } from '../config';
import { createHub } from '../hub';
import { uniqueViolationError } from '../unique-violation';
import { startHubServer } from './hub-server';

const json = { 'Content-Type': 'application/json' };
const MALFORMED_COOKIE = 'm3sh_session=%E0%A4%A';

function login(url: string, body: unknown) {
  return fetch(`${url}/api/login`, { method: 'POST', headers: json, body: JSON.stringify(body) });
}

describe('the login limiter under a concurrent burst', () => {
  let testHub: TestHub;
  beforeAll(async () => {
    testHub = await startTestHub();
  });
  afterAll(async () => {
    await testHub.destroy();
  });

  it('checks at most the limit of a burst from one IP; the right password sent last is refused too', async () => {
    const attempts = [
      ...Array.from({ length: 39 }, (_, index) => ({ username: 'admin', password: `wrong-password-${index}` })),
      { username: 'admin', password: testHub.adminPassword },
    ];
    const responses = await Promise.all(attempts.map((body) => login(testHub.url, body)));
    const statuses = responses.map((response) => response.status);
    const checked = statuses.filter((status) => status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.every((status) => status === 401 || status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(responses.at(-1)!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await testHub.hub.db.session.count()).toBe(0);
  });
});

describe('hostile input and sessions over HTTP', () => {
  let testHub: TestHub;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    testHub = await startTestHub({ clock });
  });
  afterAll(async () => {
    await testHub.destroy();
  });

  const master = () => ({ Authorization: `Bearer ${testHub.masterToken}` });

  it('answers chat.send with an Object.prototype member name as free chat, not 500', async () => {
    for (const content of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const result = await rawCall(testHub.url, 'chat.send', { type: 'mutation', input: { content }, headers: master() });
      expect(result.status, content).toBe(200);
      expect(result.body.result.data.message.content).toBe(content);
      expect(typeof result.body.result.data.reply.content).toBe('string');
    }
  });

  it('answers two concurrent users.create with one username 200 and 409 naming the field', async () => {
    const create = () =>
      rawCall(testHub.url, 'users.create', { type: 'mutation', input: { username: 'raced', role: 'viewer', password: 'raced-password-1' }, headers: master() });
    const results = await Promise.all([create(), create(), create()]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409, 409]);
    for (const result of results.filter((candidate) => candidate.status === 409)) {
      expect(result.body.error.data).toMatchObject({ code: 'CONFLICT', field: 'username' });
      expect(JSON.stringify(result.body)).not.toMatch(/prisma|sqlite|constraint failed|\.ts:/i);
    }
    expect(await testHub.hub.db.user.count({ where: { username: 'raced' } })).toBe(1);
  });

  it('maps a unique violation from either door to the database to a conflict naming the field', async () => {
    let prismaError: unknown;
    try {
      await testHub.hub.db.user.create({ data: { id: 'dup-admin', username: 'admin', role: 'admin', passwordHash: 'x', createdAt: new Date() } });
    } catch (error) {
      prismaError = error;
    }
    expect(uniqueViolationError(prismaError)).toMatchObject({ kind: 'conflict', details: { field: 'username' } });
    let sqliteError: unknown;
    try {
      testHub.hub.sql.database.prepare("INSERT INTO users (id, username, role, password_hash, created_at, updated_at) VALUES ('dup-2', 'admin', 'admin', 'x', 0, 0)").run();
    } catch (error) {
      sqliteError = error;
    }
    expect(uniqueViolationError(sqliteError)).toMatchObject({ kind: 'conflict', details: { field: 'username' } });
    expect(uniqueViolationError(new Error('something else'))).toBeNull();
  });

  it('treats a session cookie with a malformed %-escape as no session: 401, never 500', async () => {
    const me = await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: MALFORMED_COOKIE } });
    expect(me.status).toBe(401);
    const set = await rawCall(testHub.url, 'context.set', {
      type: 'mutation',
      input: { key: 'k', value: 'v' },
      headers: { Cookie: MALFORMED_COOKIE, Origin: testHub.url },
    });
    expect(set.status).toBe(401);
    const logout = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: MALFORMED_COOKIE, Origin: testHub.url } });
    expect(logout.status).toBe(401);
    expect(logout.headers.get('set-cookie')).toMatch(/^m3sh_session=;.*Max-Age=0/);
    expect(await testHub.hub.db.contextEntry.count()).toBe(0);
  });

  it('needs the hub’s own Origin to end a cookie session at /api/logout', async () => {
    const cookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
    const noOrigin = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: cookie } });
    expect(noOrigin.status).toBe(403);
    const foreign = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: cookie } })).status).toBe(200);
    const own = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: testHub.url } });
    expect(own.status).toBe(200);
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: cookie } })).status).toBe(401);
    const again = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: testHub.url } });
    expect(again.status).toBe(401);
  });

  it('refuses a tRPC batch over the limit whole, naming it, before any call runs', async () => {
    const calls = LIMITS.trpcBatchCalls + 1;
    const paths = Array.from({ length: calls }, () => 'context.set').join(',');
    const body = Object.fromEntries(Array.from({ length: calls }, (_, index) => [String(index), { key: `batch-${index}`, value: 'v' }]));
    const response = await fetch(`${testHub.url}/api/trpc/${paths}?batch=1`, { method: 'POST', headers: { ...json, ...master() }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.error.data).toMatchObject({ code: 'BAD_REQUEST', field: 'batch', limit: 'trpcBatchCalls' });
    expect(answer.error.message).toContain(String(LIMITS.trpcBatchCalls));
    expect(await testHub.hub.db.contextEntry.count()).toBe(0);
    // At the limit a batch runs.
    const atLimit = Array.from({ length: LIMITS.trpcBatchCalls }, () => 'account.me').join(',');
    const allowed = await fetch(`${testHub.url}/api/trpc/${atLimit}?batch=1`, { headers: master() });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toHaveLength(LIMITS.trpcBatchCalls);
  });

  it('limits a user’s password checks in account.changePassword: 429 with Retry-After, counted before checking', async () => {
    await testHub.client({ token: testHub.masterToken }).users.create.mutate({ username: 'pw-checker', role: 'viewer', password: 'pw-checker-password' });
    const cookie = await loginCookie(testHub.url, { username: 'pw-checker', password: 'pw-checker-password' });
    const headers = { ...json, Cookie: cookie, Origin: testHub.url };
    // One batch of 20 wrong guesses: only the limit is verified, the rest are refused unchecked.
    const calls = 20;
    const paths = Array.from({ length: calls }, () => 'account.changePassword').join(',');
    const body = Object.fromEntries(Array.from({ length: calls }, (_, index) => [String(index), { currentPassword: `guess-${index}`, newPassword: 'new-password-123' }]));
    const startedAt = Date.now();
    const response = await fetch(`${testHub.url}/api/trpc/${paths}?batch=1`, { method: 'POST', headers, body: JSON.stringify(body) });
    const elapsedMs = Date.now() - startedAt;
    const results = (await response.json()) as { error?: { data: { httpStatus: number; code: string } } }[];
    const statuses = results.map((result) => result.error?.data.httpStatus);
    expect(statuses.filter((status) => status === 400)).toHaveLength(LIMITS.passwordChecksPerMinute);
    expect(statuses.filter((status) => status === 429)).toHaveLength(calls - LIMITS.passwordChecksPerMinute);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(20_000);
    // A single call is refused too, with its own Retry-After, even with the right password.
    const single = await fetch(`${testHub.url}/api/trpc/account.changePassword`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ currentPassword: 'pw-checker-password', newPassword: 'new-password-123' }),
    });
    expect(single.status).toBe(429);
    expect(Number(single.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await single.json()).error.data.limit).toBe('passwordChecksPerMinute');
    // Another user is not affected; after a minute on the hub's clock the user may try again.
    clock.advance(61_000);
    const retried = await rawCall(testHub.url, 'account.changePassword', {
      type: 'mutation',
      input: { currentPassword: 'pw-checker-password', newPassword: 'new-password-123' },
      headers: { Cookie: cookie, Origin: testHub.url },
    });
    expect(retried.status).toBe(200);
  });

  it('answers /api/logout without any session cookie 401', async () => {
    const response = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Origin: testHub.url } });
    expect(response.status).toBe(401);
  });
});

describe('page URLs handed to Next', () => {
  it('answers a malformed %-escape in a page URL 400 without calling Next', async () => {
    const dataDir = makeTempDir();
    const config = loadConfig({ MESH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' }, 'test');
    const { hub } = await createHub({ config, migrationsDir: path.resolve('prisma/migrations') });
    const seen: string[] = [];
    // A stand-in for Next's handler that, like Next, decodes the path.
    const next = async (request: IncomingMessage, response: ServerResponse) => {
      seen.push(decodeURIComponent(request.url ?? '/'));
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('page');
    };
    const server = await startHubServer({ hub, port: 0, host: '127.0.0.1', next, sweepers: [] });
    try {
      const malformed = await fetch(`${server.url}/tasks/%E0%A4%A`);
      expect(malformed.status).toBe(400);
      expect(await malformed.text()).not.toMatch(/URIError|at .*\.(ts|js)/);
      const encoded = await fetch(`${server.url}/tasks/caf%C3%A9`);
      expect(encoded.status).toBe(200);
      expect(seen).toEqual(['/tasks/café']);
    } finally {
      await server.shutdown();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
