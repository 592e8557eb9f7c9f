// server.ts as a process: a malformed setting stops the start naming the variable; the first
// start generates and prints credentials once, storing secrets with mode 0600; SIGTERM ends
// open streams and exits 0 within 10 s.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHubClient } from '@/lib/hub-client';
import { runToCompletion, runTypeScript } from '../testing/hub-process';
import { makeTempDir } from '../testing/test-hub';

const dirs: string[] = [];
const hubs: ReturnType<typeof runTypeScript>[] = [];
afterAll(() => {
  // A failed assertion must not leave a hub running.
  for (const hub of hubs) if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDataDir() {
  const dir = makeTempDir('m3shd-server-');
  dirs.push(dir);
  return dir;
}

describe('server.ts', () => {
  it.each([
    ['PORT', 'not-a-port'],
    ['MESH_SECRET_KEY', 'abc'],
    ['MESH_TRUST_PROXY', 'sometimes'],
  ])('refuses to start with a malformed %s, naming it', async (variable, value) => {
    const result = await runToCompletion('server.ts', [], { MESH_DATA_DIR: tempDataDir(), MESH_UI: 'off', [variable]: value });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid ${variable}`);
    expect(result.stderr).not.toContain(value);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('first start prints the admin password and master token once, then serves; SIGTERM exits 0', async () => {
    const dataDir = tempDataDir();
    const env = { MESH_DATA_DIR: dataDir, MESH_UI: 'off', PORT: '0', HOST: '127.0.0.1' };
    const first = runTypeScript('server.ts', [], env);
    hubs.push(first);
    await first.waitForOutput('listening on');
    // The next steps follow the listening line; the last of them ends the block.
    await first.waitForOutput('no reinstall.');
    const output = first.output();
    const password = /password: (\S+)/.exec(output)?.[1];
    const masterToken = /master token\s+(\S+)/.exec(output)?.[1];
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    expect(password).toBeTruthy();
    expect(masterToken).toMatch(/^m3shd_master_/);
    // The address bound and the pid, then the next steps after the credentials, naming this hub.
    expect(output).toMatch(new RegExp(`listening on ${url} \\(pid ${first.child.pid}\\)`));
    expect(output.indexOf('next steps')).toBeGreaterThan(output.indexOf('master token'));
    expect(output).toContain(`Open ${url} and sign in as admin`);
    expect(output).toContain(`export MESH_HUB=${url} MESH_TOKEN=${masterToken}`);
    expect(output).toContain('MESH_TOKEN=$(npm run -s mesh -- token create --agent echo) npm run -s worker -- --id echo --runtime command --command cat');

    for (const file of ['secret.key', 'master-token.sha256']) {
      expect(fs.statSync(path.join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    expect(fs.readFileSync(path.join(dataDir, 'master-token.sha256'), 'utf8')).not.toContain(masterToken!);
    expect(fs.existsSync(path.join(dataDir, 'm3shd.db'))).toBe(true);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    const login = await fetch(`${url}/api/login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password }) });
    expect(login.status).toBe(200);

    // An open SSE stream must not hold up the shutdown.
    const client = createHubClient({ hubUrl: url!, token: masterToken });
    let streamStarted = false;
    const subscription = client.events.stream.subscribe(undefined, { onStarted: () => (streamStarted = true), onData: () => undefined });
    for (let tries = 0; tries < 100 && !streamStarted; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(streamStarted).toBe(true);
    const stopStarted = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited();
    expect(exit.code).toBe(0);
    expect(Date.now() - stopStarted).toBeLessThan(10_000);
    expect(first.output()).toContain('stopped');
    subscription.unsubscribe();

    const second = runTypeScript('server.ts', [], env);
    hubs.push(second);
    await second.waitForOutput('listening on');
    expect(second.output()).not.toContain('password:');
    expect(second.output()).not.toContain('master token');
    expect(second.output()).not.toContain('next steps');
    second.child.kill('SIGTERM');
    expect((await second.exited()).code).toBe(0);
  });
});
