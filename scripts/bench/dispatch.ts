// Benchmark: full task lifecycles over the real HTTP API with push wake-up. K simulated
// workers (each with its own agent token) hear task_assigned on their event stream, claim, and
// report done. Phase 1 creates N tasks as fast as 16 clients can (throughput: lifecycles/s;
// pickup there is mostly queueing). Phase 2 creates tasks at a steady rate well under capacity
// and measures pickup latency (created → claimed, from the hub's own timestamps) p50/p99.
// Prints the hub's peak RSS.
//   npm run bench:dispatch -- [--tasks 2000] [--workers 8] [--slots 4] [--paced 200] [--rate 20]
import os from 'node:os';
import Database from 'better-sqlite3';
import { createHubClient } from '../../src/lib/hub-client';
import { percentile, startBenchHub } from './bench-hub';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const taskCount = argument('tasks', 2_000);
const workerCount = argument('workers', 8);
const slots = argument('slots', 4);
const port = argument('port', 3392);
const pacedCount = argument('paced', 200);
const pacedRate = argument('rate', 20);

const masterToken = `bench-master-${'y'.repeat(40)}`;
const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
const hub = await startBenchHub({
  port,
  env: { MESH_MASTER_TOKEN: masterToken, MESH_UI: 'off', MESH_DAILY_TOKEN_BUDGET: '1000000000' },
  nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
});

try {
  const master = createHubClient({ hubUrl: hub.url, token: masterToken });

  let completed = 0;
  let stopping = false;
  let target = taskCount;
  let finish: () => void = () => undefined;
  let allDone = new Promise<void>((resolve) => (finish = resolve));
  const subscriptions: { unsubscribe(): void }[] = [];
  for (let index = 0; index < workerCount; index += 1) {
    const id = `bench-${index}`;
    const { token } = await master.tokens.create.mutate({ agentId: id, preset: 'worker' });
    const client = createHubClient({ hubUrl: hub.url, token });
    await client.agents.register.mutate({ id, name: id, capabilities: [], maxConcurrent: slots });
    let claiming = false;
    let again = false;
    const claimAndRun = async (): Promise<void> => {
      if (stopping) return;
      if (claiming) {
        again = true;
        return;
      }
      claiming = true;
      do {
        again = false;
        const claimed = await client.tasks.claim.mutate({ limit: slots });
        await Promise.all(
          claimed.map(async (task) => {
            await client.tasks.report.mutate({ taskId: task.taskId, attemptId: task.attemptId, status: 'done', output: 'ok', idempotencyKey: `b-${task.attemptId}` });
            completed += 1;
            if (completed === target) finish();
          }),
        );
        if (claimed.length > 0) again = true;
      } while (again && !stopping);
      claiming = false;
    };
    subscriptions.push(
      client.events.stream.subscribe(undefined, {
        onData(item) {
          const event = (item as { data?: { type: string; payload: { assignedTo?: string } } }).data;
          if (event?.type === 'task_assigned' && event.payload.assignedTo === id) void claimAndRun();
        },
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 500));

  let peakRss = hub.rssMegabytes();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, hub.rssMegabytes())), 100);
  const started = performance.now();
  const creators = 16;
  let created = 0;
  await Promise.all(
    Array.from({ length: creators }, async () => {
      while (created < taskCount) {
        created += 1;
        await master.tasks.create.mutate({ title: `bench ${created}`, prompt: 'benchmark task' });
      }
    }),
  );
  const timeout = setTimeout(() => finish(), 600_000);
  await allDone;
  clearTimeout(timeout);
  const seconds = (performance.now() - started) / 1000;
  const throughput = completed / seconds;

  // Phase 2: a steady trickle, to see dispatch latency without a backlog.
  const pacedFrom = new Date().toISOString();
  target = taskCount + pacedCount;
  allDone = new Promise<void>((resolve) => (finish = resolve));
  for (let index = 0; index < pacedCount; index += 1) {
    await master.tasks.create.mutate({ title: `paced ${index}`, prompt: 'benchmark task' });
    await new Promise((resolve) => setTimeout(resolve, 1000 / pacedRate));
  }
  const pacedTimeout = setTimeout(() => finish(), 120_000);
  await allDone;
  clearTimeout(pacedTimeout);
  clearInterval(sampler);
  stopping = true;
  for (const subscription of subscriptions) subscription.unsubscribe();

  const database = new Database(hub.databaseFile, { readonly: true });
  const pickupQuery = database.prepare(
    'SELECT (julianday(a.started_at) - julianday(t.created_at)) * 86400000.0 AS ms FROM task_attempts a JOIN tasks t ON t.id = a.task_id WHERE (t.created_at >= ?) = ?',
  );
  const pickups = (paced: boolean) => (pickupQuery.all(pacedFrom, paced ? 1 : 0) as { ms: number }[]).map((row) => row.ms).sort((a, b) => a - b);
  const burst = pickups(false);
  const steady = pickups(true);
  database.close();

  console.log(`dispatch: ${workerCount} workers × ${slots} slots, ${os.cpus().length} cores, hub and clients on one machine`);
  console.log(`  burst of ${taskCount} tasks:   ${throughput.toFixed(0)} lifecycles/s; pickup p50 ${percentile(burst, 0.5).toFixed(0)} ms, p99 ${percentile(burst, 0.99).toFixed(0)} ms (mostly queueing)`);
  console.log(`  steady ${pacedRate} tasks/s (${pacedCount}): pickup p50 ${percentile(steady, 0.5).toFixed(1)} ms, p99 ${percentile(steady, 0.99).toFixed(1)} ms`);
  console.log(`  hub peak RSS        ${peakRss.toFixed(1)} MB`);
} finally {
  await hub.stop();
}
