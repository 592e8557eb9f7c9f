// Every procedure declares its access, and the hub enforces it: a walk over the whole router,
// and a matrix calling each procedure as each token preset, each user role and the master.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_NAMES, ROLE_PERMISSIONS, PRESETS, type Permission } from '@/lib/permissions';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';
import type { ProcedureMeta } from '../trpc';
import { appRouter } from './index';

interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: ProcedureMeta | undefined;
}

function listProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo['type']; meta?: ProcedureMeta } }>;
  return Object.entries(procedures).map(([path, procedure]) => ({ path, type: procedure._def.type, meta: procedure._def.meta }));
}

describe('router access declarations', () => {
  it('every procedure is public, authenticated-only or guarded by one permission', () => {
    const procedures = listProcedures();
    expect(procedures.length).toBeGreaterThan(5);
    const undeclared = procedures.filter((procedure) => !procedure.meta?.access).map((procedure) => procedure.path);
    expect(undeclared).toEqual([]);
    for (const procedure of procedures) expect(['public', 'authenticated', 'permission']).toContain(procedure.meta!.access.kind);
  });

  it('names every procedure <subsystem>.<verb>', () => {
    for (const procedure of listProcedures()) expect(procedure.path).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});

describe('access matrix over HTTP', () => {
  let testHub: TestHub;
  const callers: { name: string; headers: Record<string, string>; permissions: readonly Permission[] | 'all' }[] = [];

  beforeAll(async () => {
    testHub = await startTestHub();
    const master = testHub.client({ token: testHub.masterToken });
    callers.push({ name: 'master', headers: { Authorization: `Bearer ${testHub.masterToken}` }, permissions: 'all' });
    for (const preset of PRESET_NAMES) {
      const { token } = await master.tokens.create.mutate({ agentId: `agent-${preset}`, preset });
      callers.push({ name: `${preset} token`, headers: { Authorization: `Bearer ${token}` }, permissions: PRESETS[preset] });
    }
    // A third-party API key goes through the same permission checks as any token.
    const { key } = await master.keys.create.mutate({ name: 'matrix-key', permissions: [...PRESETS.commander], rateLimitPerMinute: 10_000, dailyCap: 1_000_000 });
    callers.push({ name: 'API key', headers: { Authorization: `Bearer ${key}` }, permissions: PRESETS.commander });
    for (const role of ['admin', 'user', 'viewer'] as const) {
      const password = `${role}-matrix-password`;
      await master.users.create.mutate({ username: `matrix-${role}`, role, password });
      const cookie = await loginCookie(testHub.url, { username: `matrix-${role}`, password });
      callers.push({ name: `${role} user`, headers: { Cookie: cookie, Origin: testHub.url }, permissions: ROLE_PERMISSIONS[role] });
    }
  });

  afterAll(async () => {
    await testHub.destroy();
  });

  it('allows exactly the callers holding each procedure’s permission', async () => {
    const outcomes: string[] = [];
    for (const procedure of listProcedures()) {
      if (procedure.type === 'subscription') continue; // events.stream: covered by events.int.test.ts
      const access = procedure.meta!.access;
      for (const caller of callers) {
        // Input that fails validation: an allowed caller gets 400 (or 200 for input-less
        // procedures), never 401/403, and nothing is changed. Logout is skipped: it would end the session.
        if (procedure.path === 'account.logout') continue;
        const result = await rawCall(testHub.url, procedure.path, {
          type: procedure.type,
          input: procedure.type === 'mutation' ? { invalid: true } : undefined,
          headers: caller.headers,
        });
        const expectedAllowed =
          access.kind !== 'permission' || caller.permissions === 'all' || caller.permissions.includes(access.permission);
        const allowed = result.status !== 401 && result.status !== 403;
        if (allowed !== expectedAllowed) outcomes.push(`${procedure.path} as ${caller.name}: status ${result.status}`);
        if (!expectedAllowed) expect(result.body.error.message).toContain(access.kind === 'permission' ? access.permission : '');
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('spot-checks the spec: a viewer cannot manage users, a commander token cannot manage tokens', async () => {
    const viewer = callers.find((caller) => caller.name === 'viewer user')!;
    expect((await rawCall(testHub.url, 'users.list', { type: 'query', headers: viewer.headers })).status).toBe(403);
    const commander = callers.find((caller) => caller.name === 'commander token')!;
    expect((await rawCall(testHub.url, 'tokens.list', { type: 'query', headers: commander.headers })).status).toBe(403);
    const admin = callers.find((caller) => caller.name === 'admin token')!;
    expect((await rawCall(testHub.url, 'tokens.list', { type: 'query', headers: admin.headers })).status).toBe(200);
  });
});
