// The compiled build (dist/, what `npm start` and the Docker image run): the hub starts under
// plain node with the production flags from any working directory, applies its migrations,
// serves, and stops cleanly on SIGTERM; the compiled CLIs run too.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../src/testing/test-hub';
import { buildServerIfStale } from './lib/build-if-stale.mjs';
import { HUB_ENTRY, HUB_ENV, HUB_NODE_FLAGS } from './lib/hub-launch.mjs';

const projectRoot = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
// Not the project: every path the build needs must come from the bundle's location.
const elsewhere = os.tmpdir();

function tempDataDir(): string {
  const dir = makeTempDir('m3shd-compiled-');
  dirs.push(dir);
  return dir;
}

beforeAll(() => buildServerIfStale(projectRoot), 60_000);
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the compiled hub', () => {
  it('starts with the production flags outside the project folder, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const hub = spawn(process.execPath, [...HUB_NODE_FLAGS, path.join(projectRoot, HUB_ENTRY)], {
      cwd: elsewhere,
      env: { ...process.env, ...HUB_ENV, MESH_DATA_DIR: dataDir, MESH_UI: 'off', PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    hub.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    hub.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => hub.once('exit', resolve));
    for (let waited = 0; waited < 20_000 && !output.includes('listening on') && hub.exitCode === null; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    expect(url, output).toBeTruthy();
    expect(output).toContain('applied migration');

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    const password = /password: (\S+)/.exec(output)?.[1];
    const login = await fetch(`${url}/api/login`, { method: 'POST', body: JSON.stringify({ username: 'admin', password }) });
    expect(login.status).toBe(200);

    hub.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
  });

  it('has working CLIs: admin against the data dir, the operator CLI and the worker', () => {
    const dataDir = tempDataDir();
    const run = (entry: string, args: string[]) =>
      spawnSync(process.execPath, [path.join(projectRoot, 'dist', entry), ...args], {
        cwd: elsewhere,
        env: { ...process.env, MESH_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 20_000,
      });
    const admin = run('scripts/admin.js', ['create-admin', 'ops']);
    expect(admin.status, admin.stderr).toBe(0);
    expect(admin.stdout).toMatch(/created admin ops; password: \S+/);
    const mesh = run('daemon/mesh.js', ['help']);
    expect(mesh.status, mesh.stderr).toBe(0);
    expect(mesh.stdout).toContain('operator CLI');
    const worker = run('worker/main.js', ['--help']);
    expect(worker.status, worker.stderr).toBe(0);
    expect(worker.stdout).toContain('--hub');
  });
});
