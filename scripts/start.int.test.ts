// `npm start` as a user runs it: a SIGTERM or SIGINT sent to the npm process (what a supervisor
// or `kill <pid of npm>` does) stops the hub it started, npm exits with the hub's code, and the
// port is free for the next start. Before `exec` in the script, npm's shell died of the signal
// and left the hub running, so the next start failed with EADDRINUSE.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port';
import { makeTempDir } from '../src/testing/test-hub';
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
    expect(output).toContain('[m3shd] stopped');
    expect(await until(() => !isRunning(hubPid), 15_000)).toBe(true);
    expect(await canBind(port)).toBe(true);
  }, 120_000);
});
