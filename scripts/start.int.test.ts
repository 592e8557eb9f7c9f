// `npm start` and `npm run worker` as a user runs them: a SIGTERM or SIGINT sent to the npm
// process (what a supervisor or `kill <pid of npm>` does) stops the process it started, npm exits
// with its code, and nothing is left running (for the hub: the port is free for the next start).
// Before `exec` in the scripts, npm's shell died of the signal and left the hub running, so the
// next start failed with EADDRINUSE.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port';
import { makeTempDir, startTestHub } from '../src/testing/test-hub';
import { buildServerIfStale } from './lib/build-if-stale.mjs';

const projectRoot = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const leftovers: number[] = [];

beforeAll(() => buildServerIfStale(projectRoot), 120_000);
afterAll(() => {
  // A failed run must not leave a hub behind.
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A new listener can bind the port (nothing holds it any more). */
async function canBind(port: number): Promise<boolean> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}

/** Every process under `pid` (Linux /proc), children first found breadth-first. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const children = parents.get(queue.shift()!) ?? [];
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('passes %s on to the hub: the hub exits, npm exits with it and the port is free', async (signal) => {
    const dataDir = makeTempDir('m3shd-start-');
    dirs.push(dataDir);
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MESH_DATA_DIR: dataDir, MESH_UI: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })));

    expect(await until(() => output.includes('listening on') || npm.exitCode !== null, 60_000), output).toBe(true);
    const hubPid = Number(/listening on http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/.exec(output)?.[1]);
    expect(hubPid, output).toBeGreaterThan(0);
    leftovers.push(hubPid);
    expect(hubPid).not.toBe(npm.pid);
    expect(await canBind(port)).toBe(false);

    npm.kill(signal);
    const exit = await exited;
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toContain(`${signal}: shutting down`);
    expect(output).toContain('"msg":"stopped"');
    expect(await until(() => !isRunning(hubPid), 15_000)).toBe(true);
    expect(await canBind(port)).toBe(true);
  }, 120_000);
});

describe('npm run worker', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('passes %s on to the worker: it goes offline, exits 0, and npm exits with it', async (signal) => {
    const testHub = await startTestHub();
    const outbox = makeTempDir('m3shd-start-outbox-');
    dirs.push(outbox);
    try {
      const master = testHub.client({ token: testHub.masterToken });
      const { token } = await master.tokens.create.mutate({ agentId: 'echo', preset: 'worker' });
      const npm = spawn('npm', ['run', '-s', 'worker', '--', '--id', 'echo', '--runtime', 'command', '--command', 'cat', '--outbox-dir', outbox], {
        cwd: projectRoot,
        env: { ...process.env, MESH_HUB: testHub.url, MESH_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })));
      expect(await until(() => output.includes('registered with') || npm.exitCode !== null, 60_000), output).toBe(true);
      expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'echo' } })).status).toBe('online');
      const processes = descendants(npm.pid!);
      expect(processes.length, 'the worker runs under npm').toBeGreaterThan(0);
      leftovers.push(...processes);

      npm.kill(signal);
      expect(await exited, output).toEqual({ code: 0, signal: null });
      expect(output).toContain(`${signal}: finishing running tasks`);
      expect(output).toContain('told the hub this agent is going offline');
      expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'echo' } })).status).toBe('offline');
      expect(await until(() => processes.every((pid) => !isRunning(pid)), 15_000)).toBe(true);
    } finally {
      await testHub.destroy();
    }
  }, 120_000);
});
