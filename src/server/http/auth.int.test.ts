// Authentication over real HTTP: 401/403 paths, login and its rate limit, cookie sessions
// with the Origin check, revocation and disabled users taking effect on the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;

beforeAll(async () => {
  testHub = await startTestHub();
});

afterAll(async () => {
  await testHub.destroy();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('authentication', () => {
  it('answers 401 without credentials and with an unknown token', async () => {
    const anonymous = await rawCall(testHub.url, 'users.list', { type: 'query' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.data.code).toBe('UNAUTHORIZED');
    const unknown = await rawCall(testHub.url, 'users.list', { type: 'query', headers: bearer('m3shd_ag_not-a-real-token') });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toContain('invalid or revoked token');
    expect(JSON.stringify(unknown.body)).not.toMatch(/stack|at .*\.ts/);
  });

  it('answers 403 naming the missing permission', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    const { token } = await admin.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const denied = await rawCall(testHub.url, 'users.list', { type: 'query', headers: bearer(token) });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('admin:users');
  });

  it('treats an agent token with an empty permission list as no access', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    const { token } = await admin.tokens.create.mutate({ agentId: 'empty', permissions: [] });
    const me = await rawCall(testHub.url, 'account.me', { type: 'query', headers: bearer(token) });
    expect(me.status).toBe(200);
    expect(me.body.result.data.permissions).toEqual([]);
    const denied = await rawCall(testHub.url, 'tokens.list', { type: 'query', headers: bearer(token) });
    expect(denied.status).toBe(403);
  });

  it('stops accepting a revoked token on the next request', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    const { token, view } = await admin.tokens.create.mutate({ agentId: 'crucible', preset: 'commander' });
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: bearer(token) })).status).toBe(200);
    await admin.tokens.revoke.mutate({ tokenId: view.id });
    const after = await rawCall(testHub.url, 'account.me', { type: 'query', headers: bearer(token) });
    expect(after.status).toBe(401);
    const row = await testHub.hub.db.agentToken.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(row.tokenHash).not.toContain(token);
  });

  it('needs the master token to create an admin-preset token', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    await admin.users.create.mutate({ username: 'second-admin', role: 'admin', password: 'second-admin-password' });
    const cookie = await loginCookie(testHub.url, { username: 'second-admin', password: 'second-admin-password' });
    const asUserAdmin = await rawCall(testHub.url, 'tokens.create', {
      type: 'mutation',
      input: { agentId: 'archon', preset: 'admin' },
      headers: { Cookie: cookie, Origin: testHub.url },
    });
    expect(asUserAdmin.status).toBe(403);
    expect(asUserAdmin.body.error.message).toContain('master token');
    expect(await testHub.hub.db.agentToken.count({ where: { agentId: 'archon' } })).toBe(0);
    const asMaster = await admin.tokens.create.mutate({ agentId: 'archon', preset: 'admin' });
    expect(asMaster.view.permissions).toHaveLength(17);
    expect(asMaster.token.startsWith('m3shd_ag_')).toBe(true);
  });
});

describe('login and sessions', () => {
  it('logs in with username and password and authenticates by cookie', async () => {
    const response = await fetch(`${testHub.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: testHub.adminPassword }),
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^m3sh_session=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Max-Age=86400');
    const me = await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: setCookie.split(';')[0]! } });
    expect(me.body.result.data).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
  });

  it('makes a master-token login an admin session', async () => {
    const cookie = await loginCookie(testHub.url, { token: testHub.masterToken });
    const me = await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: cookie } });
    expect(me.body.result.data).toMatchObject({ kind: 'master', role: 'admin' });
    expect(me.body.result.data.permissions).toHaveLength(17);
  });

  it('refuses cookie-authenticated mutations without the hub Origin', async () => {
    const cookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
    const input = { username: 'csrf-victim', role: 'viewer' };
    const noOrigin = await rawCall(testHub.url, 'users.create', { type: 'mutation', input, headers: { Cookie: cookie } });
    expect(noOrigin.status).toBe(403);
    const foreign = await rawCall(testHub.url, 'users.create', { type: 'mutation', input, headers: { Cookie: cookie, Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await testHub.hub.db.user.count({ where: { username: 'csrf-victim' } })).toBe(0);
    const sameOrigin = await rawCall(testHub.url, 'users.create', { type: 'mutation', input, headers: { Cookie: cookie, Origin: testHub.url } });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.body.result.data.password).toHaveLength(24);
  });

  it('ends a disabled user’s session and a logged-out session on the next request', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    const { user } = await admin.users.create.mutate({ username: 'temp-user', role: 'user', password: 'temp-user-password' });
    const cookie = await loginCookie(testHub.url, { username: 'temp-user', password: 'temp-user-password' });
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: cookie } })).status).toBe(200);
    await admin.users.setDisabled.mutate({ userId: user.id, disabled: true });
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: cookie } })).status).toBe(401);

    await admin.users.setDisabled.mutate({ userId: user.id, disabled: false });
    const second = await loginCookie(testHub.url, { username: 'temp-user', password: 'temp-user-password' });
    const logout = await fetch(`${testHub.url}/api/logout`, { method: 'POST', headers: { Cookie: second, Origin: testHub.url } });
    expect(logout.status).toBe(200);
    expect((await rawCall(testHub.url, 'account.me', { type: 'query', headers: { Cookie: second } })).status).toBe(401);
  });

  it('lets a user change their own password', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    await admin.users.create.mutate({ username: 'changer', role: 'viewer', password: 'changer-password-1' });
    const cookie = await loginCookie(testHub.url, { username: 'changer', password: 'changer-password-1' });
    const headers = { Cookie: cookie, Origin: testHub.url };
    const wrong = await rawCall(testHub.url, 'account.changePassword', {
      type: 'mutation',
      input: { currentPassword: 'nope', newPassword: 'changer-password-2' },
      headers,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.data.field).toBe('currentPassword');
    const right = await rawCall(testHub.url, 'account.changePassword', {
      type: 'mutation',
      input: { currentPassword: 'changer-password-1', newPassword: 'changer-password-2' },
      headers,
    });
    expect(right.status).toBe(200);
    await expect(loginCookie(testHub.url, { username: 'changer', password: 'changer-password-2' })).resolves.toMatch(/^m3sh_session=/);
  });

  it('limits login failures to 5 per 5 minutes per IP: the 6th attempt gets 429 with Retry-After', async () => {
    const attempt = () =>
      fetch(`${testHub.url}/api/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
      });
    for (let index = 0; index < 5; index += 1) expect((await attempt()).status).toBe(401);
    const sixth = await attempt();
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password is refused while limited.
    const right = await fetch(`${testHub.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: testHub.adminPassword }),
    });
    expect(right.status).toBe(429);
  });
});

describe('health and headers', () => {
  it('serves /api/health unauthenticated with security headers', async () => {
    const response = await fetch(`${testHub.url}/api/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'ok', version: 'test', database: 'ok' });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('sets the headers on tRPC responses too, errors included', async () => {
    const response = await fetch(`${testHub.url}/api/trpc/users.list`);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toBeTruthy();
  });
});
