// Bad input on procedures: 400, the error names the field (and the limit when one applies),
// and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let headers: Record<string, string>;

beforeAll(async () => {
  testHub = await startTestHub();
  headers = { Authorization: `Bearer ${testHub.masterToken}` };
});

afterAll(async () => {
  await testHub.destroy();
});

describe('input validation', () => {
  it.each([
    ['users.create', { username: 'has space', role: 'viewer' }, 'username'],
    ['users.create', { username: 'ok-name', role: 'superuser' }, 'role'],
    ['users.create', { username: 'ok-name', role: 'viewer', password: 'short' }, 'password'],
    ['users.setRole', { userId: '', role: 'viewer' }, 'userId'],
    ['tokens.create', { agentId: 'Bad_Agent!', preset: 'worker' }, 'agentId'],
    ['tokens.create', { agentId: 'rex', permissions: ['tasks:read', 'root:all'] }, 'permissions.1'],
  ])('%s with %j → 400 naming %s, nothing written', async (procedure, input, field) => {
    const usersBefore = await testHub.hub.db.user.count();
    const tokensBefore = await testHub.hub.db.agentToken.count();
    const result = await rawCall(testHub.url, procedure, { type: 'mutation', input, headers });
    expect(result.status).toBe(400);
    expect(result.body.error.data.field).toBe(field);
    expect(result.body.error.message).toContain(field);
    expect(JSON.stringify(result.body)).not.toContain('stack');
    expect(await testHub.hub.db.user.count()).toBe(usersBefore);
    expect(await testHub.hub.db.agentToken.count()).toBe(tokensBefore);
  });

  it('refuses an oversized login body and an unknown route cleanly', async () => {
    const big = await fetch(`${testHub.url}/api/login`, { method: 'POST', body: 'x'.repeat(10_000) });
    expect(big.status).toBe(400);
    expect((await big.json()).error.field).toBe('body');
    const missing = await fetch(`${testHub.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
  });
});
