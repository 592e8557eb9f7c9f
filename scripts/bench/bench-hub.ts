// A real hub process for benchmarks: the production process, i.e. the compiled dist/server.js
// under plain node with the flags and environment `npm start` and the Docker image use
// (scripts/lib/hub-launch.mjs), built first when missing or stale; a fresh data dir, waiting
// until it listens. The pid is the hub's, so its RSS can be read.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale, buildServerIfStale } from '../lib/build-if-stale.mjs';
import { HUB_ENTRY, HUB_ENV, HUB_NODE_FLAGS } from '../lib/hub-launch.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchHub {
  url: string;
  pid: number;
  databaseFile: string;
  /** The first-start admin password the hub printed. */
  adminPassword: string | undefined;
  /** The hub's resident memory now, in MB (0 once it has exited). */
  rssMegabytes(): number;
  stop(): Promise<void>;
}

export interface StartBenchHubOptions {
  port: number;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof; after the production flags, so they can override them. */
  nodeFlags?: string[];
  /** The project to run (default: this one). */
  cwd?: string;
}

export async function startBenchHub(options: StartBenchHubOptions): Promise<BenchHub> {
  const root = path.resolve(options.cwd ?? projectRoot);
  const uiOn = (options.env?.MESH_UI ?? process.env.MESH_UI) !== 'off';
  // With the UI on the hub needs the web build too; without one, build both (as `npm start` would).
  if (uiOn && !fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) buildIfStale(root);
  else buildServerIfStale(root);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-'));
  const hub: ChildProcess = spawn(process.execPath, [...HUB_NODE_FLAGS, ...(options.nodeFlags ?? []), path.join(root, HUB_ENTRY)], {
    cwd: root,
    env: { ...HUB_ENV, ...process.env, PORT: String(options.port), HOST: '127.0.0.1', MESH_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = await new Promise<string>((resolve, reject) => {
    let printed = '';
    let listening = false;
    const timer = setTimeout(() => reject(new Error('hub did not start in 60 s')), 60_000);
    // Kept reading after start-up (the hub's request log must not fill the pipe), but not kept.
    hub.stdout!.on('data', (chunk: Buffer) => {
      if (listening) return;
      printed += chunk.toString();
      if (printed.includes('listening on')) {
        listening = true;
        clearTimeout(timer);
        resolve(printed);
      }
    });
    hub.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  const pid = hub.pid!;
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid,
    databaseFile: path.join(dataDir, 'm3shd.db'),
    adminPassword: /password: (\S+)/.exec(output)?.[1],
    rssMegabytes() {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (hub.exitCode === null) {
        hub.kill('SIGTERM');
        await new Promise((resolve) => hub.once('exit', resolve));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}
