// The hub under the workload: a real hub process (UI on), K simulated workers in this process, pickup from the hub's own timestamps in its SQLite file.
import Database from 'better-sqlite3';
import { createHubClient } from '../../../src/lib/hub-client';
import { startBenchHub } from '../bench-hub';
import { commandLine, ENQUEUE_BATCH, histogram, inBatches, measuredOutcome, paced, PRODUCERS, samplePeak, sleep, summarize, taskPrompt, waitUntil, type PeerOutcome, type Workload } from './common';
import { HubWorker } from './hub-worker';

export const HUB_SYSTEM = 'm3shd hub';
export const BENCH_MASTER_TOKEN = `bench-peers-master-${'z'.repeat(40)}`;
export const HUB_ENV = { MESH_MASTER_TOKEN: BENCH_MASTER_TOKEN, MESH_DAILY_TOKEN_BUDGET: '1000000000' };

/** Where the paced pickup time goes: created → assigned (dispatch) and assigned → claimed (wake-up and claim). */
function pickupSplit(database: Database.Database): string | undefined {
  try {
    const rows = database
      .prepare(
        `SELECT (julianday(t.assigned_at) - julianday(t.created_at)) * 86400000.0 AS dispatch, (julianday(a.started_at) - julianday(t.assigned_at)) * 86400000.0 AS claim
         FROM task_attempts a JOIN tasks t ON t.id = a.task_id WHERE t.title LIKE 'paced %'`,
      )
      .all() as { dispatch: number | null; claim: number | null }[];
    const dispatch = summarize(rows.map((row) => row.dispatch ?? Number.NaN));
    const claim = summarize(rows.map((row) => row.claim ?? Number.NaN));
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    return `pickup split: created→assigned p50 ${ms(dispatch.p50)} p99 ${ms(dispatch.p99)}; assigned→claimed p50 ${ms(claim.p50)} p99 ${ms(claim.p99)}`;
  } catch {
    return undefined; // the hub's schema moved on; the split is a diagnostic only
  }
}

export async function runHub(workload: Workload, port: number): Promise<PeerOutcome> {
  const system = HUB_SYSTEM;
  // BENCH_CPU_PROFILE_DIR=<dir> writes the hub's CPU profile there (node --cpu-prof), for when a figure is missed.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  // BENCH_HUB_NODE_FLAGS adds node flags to the hub (e.g. --import a memory probe).
  const extraFlags = process.env.BENCH_HUB_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const hub = await startBenchHub({ port, env: HUB_ENV, nodeFlags: [...extraFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])] });
  const workers: HubWorker[] = [];
  try {
    const notes: string[] = [
      workload.claimWaitMs > 0
        ? `workers long-poll their claims (waitMs ${workload.claimWaitMs}), as the worker does by default; --claim-wait-ms 0: claim when woken by the stream`
        : 'workers claim when task_assigned arrives on their event stream (--claim-wait-ms 0; no long poll)',
    ];
    const master = createHubClient({ hubUrl: hub.url, token: BENCH_MASTER_TOKEN });
    for (let index = 0; index < workload.workers; index += 1) {
      workers.push(await HubWorker.start(hub.url, master, `bench-${index}`, workload.concurrency, workload.claimWaitMs));
    }
    await sleep(500);
    const completed = () => workers.reduce((sum, worker) => sum + worker.completed + worker.failedReports, 0);
    const idleRssMb = hub.rssMegabytes();
    const hubRss = samplePeak(() => hub.rssMegabytes());
    const launched = commandLine(hub.pid);

    const started = performance.now();
    await inBatches(workload.tasks, ENQUEUE_BATCH, PRODUCERS, (from, to) =>
      master.tasks.createMany.mutate({
        tasks: Array.from({ length: to - from }, (_, offset) => ({ title: `burst ${from + offset}`, prompt: taskPrompt(from + offset) })),
      }),
    );
    if (!(await waitUntil(completed, workload.tasks))) notes.push(`saturated phase stalled for 30 s: ${completed()} of ${workload.tasks} finished`);
    const burstSeconds = (performance.now() - started) / 1000;
    const burstCompleted = workers.reduce((sum, worker) => sum + worker.completed, 0);

    await paced(workload.pacedTasks, workload.pacedRate, (index) =>
      master.tasks.create.mutate({ title: `paced ${index}`, prompt: taskPrompt(workload.tasks + index) }),
    );
    const total = workload.tasks + workload.pacedTasks;
    if (!(await waitUntil(completed, total))) notes.push(`paced phase stalled for 30 s: ${completed()} of ${total} finished`);
    const peakRssMb = hubRss.stop();
    for (const worker of workers) worker.stop();
    // Memory must come back after the load, not stay at its peak.
    await sleep(5_000);
    notes.push(`hub RSS: ${idleRssMb.toFixed(0)} MB before the run, ${peakRssMb.toFixed(0)} MB at peak, ${hub.rssMegabytes().toFixed(0)} MB 5 s after`);

    const failed = workers.reduce((sum, worker) => sum + worker.failedReports, 0);
    const firstError = workers.find((worker) => worker.firstError)?.firstError;
    if (failed > 0 || firstError) notes.push(`${failed} reports refused; first error: ${firstError}`);

    const database = new Database(hub.databaseFile, { readonly: true });
    try {
      const check = database
        .prepare("SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE output IS NOT upper(prompt)) AS wrong FROM tasks")
        .get() as { done: number; wrong: number };
      if (check.done !== total || check.wrong > 0) notes.push(`check: ${check.done} tasks done of ${total}, ${check.wrong} with a wrong output`);
      const rows = database
        .prepare(
          "SELECT (julianday(a.started_at) - julianday(t.created_at)) * 86400000.0 AS ms FROM task_attempts a JOIN tasks t ON t.id = a.task_id WHERE t.title LIKE 'paced %'",
        )
        .all() as { ms: number }[];
      const pickup = summarize(rows.map((row) => row.ms));
      notes.push(`pickup histogram (whole ms: tasks): ${histogram(rows.map((row) => row.ms))}`);
      const split = pickupSplit(database);
      if (split) notes.push(split);
      return measuredOutcome({ system, burstCompleted, burstSeconds, pickup, peakRssMb, rssOf: `hub process (UI on; ${launched})`, notes });
    } finally {
      database.close();
    }
  } finally {
    for (const worker of workers) worker.stop();
    await hub.stop();
  }
}
