// Benchmark: the task engine's hot path in one process, no HTTP: tasks created in batches of 100,
// dispatched, claimed and reported done by 8 agents, measured in CPU time of this process (less
// sensitive than wall time to other load on a shared machine). With `--chains`, every task but a
// batch's first depends on the one before it, so each report also releases a child.
//   npx tsx scripts/bench/task-engine-cpu.ts [--tasks 4000] [--rounds 3] [--chains]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/server/config';
import { createHub } from '../../src/server/hub';
import type { Principal } from '../../src/server/auth/principal';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const taskCount = argument('tasks', 4_000);
const rounds = argument('rounds', 3);
const chains = process.argv.includes('--chains');
const AGENTS = 8;
const SLOTS = 16;
const BATCH = 100;

const master: Principal = { kind: 'master', via: 'token' };
const perLifecycle: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-cpu-'));
  const config = loadConfig({ MESH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MESH_DAILY_TOKEN_BUDGET: '1000000000', MESH_UI: 'off' }, 'test');
  const { hub } = await createHub({ config, migrationsDir: path.resolve('prisma/migrations') });
  for (let index = 0; index < AGENTS; index += 1) {
    const agentId = `cpu-${index}`;
    await hub.agents.register(master, { id: agentId, name: agentId, machine: 'bench', kind: 'desktop', capabilities: [], maxConcurrent: SLOTS });
  }
  await hub.dispatcher.settled();
  const start = process.cpuUsage();
  let reported = 0;
  for (let created = 0; created < taskCount; created += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, index) => ({
      title: `t${created + index}`,
      prompt: 'bench task',
      priority: 50,
      ...(chains && index > 0 ? { dependsOn: [index - 1] } : {}),
    }));
    await hub.tasks.createMany(master, batch);
    // Run until the batch is through (a chain needs one pass per link).
    while (reported < created + BATCH) {
      await hub.dispatcher.dispatch();
      let progressed = 0;
      for (let index = 0; index < AGENTS; index += 1) {
        const claimed = await hub.execution.claim(master, { agentId: `cpu-${index}`, limit: SLOTS });
        for (const task of claimed) {
          await hub.execution.report(master, { taskId: task.taskId, attemptId: task.attemptId, status: 'done', output: 'ok', idempotencyKey: `k-${task.attemptId}` });
          progressed += 1;
        }
      }
      reported += progressed;
      if (progressed === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const used = process.cpuUsage(start);
  perLifecycle.push((used.user + used.system) / taskCount);
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
perLifecycle.sort((a, b) => a - b);
console.log(
  `task engine CPU per lifecycle (create → dispatch → claim → report), ${taskCount} tasks${chains ? ' in chains of 100' : ''}, ${rounds} rounds: ` +
    `median ${perLifecycle[Math.floor(perLifecycle.length / 2)]!.toFixed(0)} µs, best ${perLifecycle[0]!.toFixed(0)} µs`,
);
