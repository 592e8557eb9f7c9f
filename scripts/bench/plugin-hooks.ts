// Benchmark: what plugin hooks cost the task engine's hot path. Creates N tasks in a hub in this
// process (real SQLite file, no HTTP), first with only the built-ins (no hooks), then with a
// plugin folder holding three task_created hooks: a cheap one, one that takes 50 ms, and one
// that never returns (abandoned at MESH_PLUGIN_HOOK_TIMEOUT_MS). Prints tasks.create latency
// p50/p99 for both runs, and how long after the last create the cheap hook had seen every task.
//   npx tsx scripts/bench/plugin-hooks.ts [--tasks 2000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tasksCreateInput } from '../../src/lib/tasks';
import { loadConfig } from '../../src/server/config';
import { createHub } from '../../src/server/hub';
import { percentile } from './bench-hub';

const index = process.argv.indexOf('--tasks');
const taskCount = index === -1 ? 2_000 : Number(process.argv[index + 1]) || 2_000;
const master = { kind: 'master', via: 'token' } as const;

const HOOKS = {
  'cheap.mjs': `export let seen = 0;\nexport function setup(manager) { manager.registerHook('task_created', () => { globalThis.__benchSeen = (globalThis.__benchSeen ?? 0) + 1; }); }\n`,
  'slow.mjs': `export function setup(manager) { manager.registerHook('task_created', () => new Promise((resolve) => setTimeout(resolve, 50))); }\n`,
  'hung.mjs': `export function setup(manager) { manager.registerHook('task_created', () => new Promise(() => {})); }\n`,
};

async function run(label: string, pluginsDir?: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-hooks-'));
  const env: Record<string, string> = { MESH_DATA_DIR: dataDir, MESH_PLUGIN_HOOK_TIMEOUT_MS: '1000', ...(pluginsDir ? { MESH_PLUGINS_DIR: pluginsDir } : {}) };
  const { hub } = await createHub({ config: loadConfig(env, 'bench'), migrationsDir: path.resolve('prisma/migrations') });
  (globalThis as { __benchSeen?: number }).__benchSeen = 0;
  const latencies: number[] = [];
  try {
    for (let task = 0; task < taskCount; task += 1) {
      const input = tasksCreateInput.parse({ title: `bench ${task}`, prompt: 'p' });
      const started = performance.now();
      await hub.tasks.create(master, input);
      latencies.push(performance.now() - started);
    }
    const lastCreate = performance.now();
    while (pluginsDir && ((globalThis as { __benchSeen?: number }).__benchSeen ?? 0) < taskCount) await new Promise((resolve) => setTimeout(resolve, 1));
    const drained = performance.now() - lastCreate;
    latencies.sort((a, b) => a - b);
    const line = `${label}: tasks.create p50 ${percentile(latencies, 0.5).toFixed(3)} ms, p99 ${percentile(latencies, 0.99).toFixed(3)} ms over ${taskCount} tasks`;
    console.log(pluginsDir ? `${line}; the cheap hook had seen every task ${drained.toFixed(1)} ms after the last create` : line);
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-plugins-'));
for (const [file, source] of Object.entries(HOOKS)) fs.writeFileSync(path.join(pluginsDir, file), source);
try {
  await run('no hooks');
  await run('3 hooks (cheap, 50 ms, hung)', pluginsDir);
} finally {
  fs.rmSync(pluginsDir, { recursive: true, force: true });
}
