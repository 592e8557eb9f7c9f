// The sign-in page's two next-auth providers against a real hub: the master token gives a
// master session, and token and password attempts share the one per-IP failure limit (a wrong
// token counts like a wrong password; past the limit even the right password is refused).
import type { CredentialsConfig } from 'next-auth/providers/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../testing/test-hub';
import { CLIENT_IP_HEADER } from '../http/request-info';
import { buildAuthOptions, MASTER_TOKEN_PROVIDER_ID } from './next-auth-options';

let testHub: TestHub;

beforeAll(async () => {
  testHub = await startTestHub();
});

afterAll(async () => {
  await testHub?.destroy();
});

function authorizeWith(providerId: string) {
  const provider = buildAuthOptions(testHub.hub).providers.find(
    (candidate) => ((candidate as CredentialsConfig).options as { id?: string } | undefined)?.id === providerId || (providerId === 'credentials' && !(candidate as CredentialsConfig).options?.id),
  ) as CredentialsConfig | undefined;
  if (!provider) throw new Error(`no provider ${providerId}`);
  const authorize = (provider.options as CredentialsConfig).authorize;
  return (credentials: Record<string, string>, ip: string) => authorize(credentials as never, { headers: { [CLIENT_IP_HEADER]: ip } } as never);
}

describe('sign-in by master token', () => {
  it('opens a master session with the right token and refuses a wrong one', async () => {
    const byToken = authorizeWith(MASTER_TOKEN_PROVIDER_ID);
    expect(await byToken({ token: 'm3sh-wrong-token' }, '198.51.100.1')).toBeNull();
    expect(await byToken({ token: '' }, '198.51.100.1')).toBeNull();
    const user = await byToken({ token: testHub.masterToken }, '198.51.100.1');
    expect(user).toMatchObject({ name: 'master', role: 'admin' });
    const session = await testHub.hub.db.session.findUnique({ where: { id: user!.id as string } });
    expect(session).toMatchObject({ kind: 'master', userId: null, revokedAt: null });
  });

  it('counts wrong tokens against the same per-IP limit as passwords', async () => {
    const byToken = authorizeWith(MASTER_TOKEN_PROVIDER_ID);
    const byPassword = authorizeWith('credentials');
    const ip = '198.51.100.2';
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await byToken({ token: `m3sh-guess-${attempt}` }, ip)).toBeNull();
    for (let attempt = 0; attempt < 2; attempt += 1) expect(await byPassword({ username: 'admin', password: 'wrong-password' }, ip)).toBeNull();
    const sessionsBefore = await testHub.hub.db.session.count();
    await expect(byToken({ token: testHub.masterToken }, ip)).rejects.toThrow('RateLimited');
    await expect(byPassword({ username: 'admin', password: testHub.adminPassword }, ip)).rejects.toThrow('RateLimited');
    expect(await testHub.hub.db.session.count()).toBe(sessionsBefore);
    // Another address is not affected.
    expect(await byToken({ token: testHub.masterToken }, '198.51.100.3')).toMatchObject({ name: 'master' });
  });
});
