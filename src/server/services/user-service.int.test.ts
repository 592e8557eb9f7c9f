// Admins cannot lock themselves out: over real HTTP with cookie sessions, an admin's attempt to
// disable or demote their own account is refused (403, nothing changed, no event), while another
// admin, or the master token, may make the same change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let adaId: string;
let adminId: string;

beforeAll(async () => {
  testHub = await startTestHub();
  const master = testHub.client({ token: testHub.masterToken });
  adaId = (await master.users.create.mutate({ username: 'ada', role: 'admin', password: 'ada-admin-password' })).user.id;
  adminId = (await testHub.hub.db.user.findUniqueOrThrow({ where: { username: 'admin' } })).id;
});

afterAll(async () => {
  await testHub?.destroy();
});

async function sessionOf(username: string, password: string) {
  return { Cookie: await loginCookie(testHub.url, { username, password }), Origin: testHub.url };
}

async function userEvents(): Promise<number> {
  return testHub.hub.db.eventLog.count({ where: { type: 'user_updated' } });
}

describe('an admin changing their own account', () => {
  it('cannot disable themselves or change their own role, even with another admin present', async () => {
    const headers = await sessionOf('ada', 'ada-admin-password');
    const eventsBefore = await userEvents();
    const disable = await rawCall(testHub.url, 'users.setDisabled', { type: 'mutation', input: { userId: adaId, disabled: true }, headers });
    expect(disable.status).toBe(403);
    expect(disable.body.error.message).toContain('cannot disable your own account');
    const demote = await rawCall(testHub.url, 'users.setRole', { type: 'mutation', input: { userId: adaId, role: 'viewer' }, headers });
    expect(demote.status).toBe(403);
    expect(demote.body.error.message).toContain('cannot change your own role');
    expect(await testHub.hub.db.user.findUnique({ where: { id: adaId }, select: { role: true, disabled: true } })).toEqual({ role: 'admin', disabled: false });
    expect(await userEvents()).toBe(eventsBefore);
    // Still signed in and still an admin.
    expect((await rawCall(testHub.url, 'users.list', { type: 'query', headers })).status).toBe(200);
  });

  it('may change another admin, and the master token may change anyone', async () => {
    const headers = await sessionOf('ada', 'ada-admin-password');
    const demoteOther = await rawCall(testHub.url, 'users.setRole', { type: 'mutation', input: { userId: adminId, role: 'user' }, headers });
    expect(demoteOther.status).toBe(200);
    expect(demoteOther.body.result.data).toMatchObject({ username: 'admin', role: 'user' });

    const master = testHub.client({ token: testHub.masterToken });
    await master.users.setRole.mutate({ userId: adminId, role: 'admin' });
    expect(await master.users.setDisabled.mutate({ userId: adaId, disabled: true })).toMatchObject({ username: 'ada', disabled: true });
    expect(await testHub.hub.db.user.findUnique({ where: { id: adaId }, select: { disabled: true } })).toEqual({ disabled: true });
  });
});
