// The recovery CLI on the hub machine: create an admin, reset a password, rotate the master
// token (a running hub takes the new one at once), back up and restore the database.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToCompletion } from '../src/testing/hub-process';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../src/testing/test-hub';

let testHub: TestHub;
let env: Record<string, string>;

beforeAll(async () => {
  testHub = await startTestHub();
  env = { MESH_DATA_DIR: testHub.dataDir };
});

afterAll(async () => {
  await testHub.destroy();
});

const admin = (...args: string[]) => runToCompletion('scripts/admin.ts', args, env);

describe('npm run admin', () => {
  it('creates an admin who can log in', async () => {
    const result = await admin('create-admin', 'rescuer');
    expect(result.code).toBe(0);
    const password = /password: (\S+)/.exec(result.stdout)?.[1];
    expect(password).toBeTruthy();
    await expect(loginCookie(testHub.url, { username: 'rescuer', password: password! })).resolves.toMatch(/^m3sh_session=/);
  });

  it('resets a password, and refuses an unknown user with one line', async () => {
    const result = await admin('reset-password', 'admin');
    expect(result.code).toBe(0);
    const password = /new password for admin: (\S+)/.exec(result.stdout)?.[1];
    await expect(loginCookie(testHub.url, { username: 'admin', password: password! })).resolves.toMatch(/^m3sh_session=/);
    const unknown = await admin('reset-password', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('admin: user "nobody" not found');
  });

  it('rotates the master token: the old one stops working on the running hub', async () => {
    const result = await admin('rotate-master-token');
    expect(result.code).toBe(0);
    const newToken = /shown once\): (\S+)/.exec(result.stdout)?.[1];
    const old = await rawCall(testHub.url, 'users.list', { type: 'query', headers: { Authorization: `Bearer ${testHub.masterToken}` } });
    expect(old.status).toBe(401);
    const fresh = await rawCall(testHub.url, 'users.list', { type: 'query', headers: { Authorization: `Bearer ${newToken}` } });
    expect(fresh.status).toBe(200);
  });

  it('backs up online and restores', async () => {
    const backupFile = path.join(testHub.dataDir, 'backup.db');
    const backup = await admin('backup', backupFile);
    expect(backup.code).toBe(0);
    expect(fs.statSync(backupFile).size).toBeGreaterThan(0);
    const users = await testHub.hub.db.user.count();

    const restoreDir = path.join(testHub.dataDir, 'restored');
    const restore = await runToCompletion('scripts/admin.ts', ['restore', backupFile], { MESH_DATA_DIR: restoreDir });
    expect(restore.code).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const restored = new Database(path.join(restoreDir, 'm3shd.db'), { readonly: true });
    expect((restored.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(users);
    restored.close();

    const notABackup = path.join(testHub.dataDir, 'junk.db');
    fs.writeFileSync(notABackup, 'junk');
    const refused = await runToCompletion('scripts/admin.ts', ['restore', notABackup], { MESH_DATA_DIR: restoreDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not a readable SQLite database');
  });
});
