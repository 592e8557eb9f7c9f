// The pg-boss peer: the workload against pg-boss on local PostgreSQL (its own schema, dropped before and after), workers in a child process, pickup from pg-boss's job table.
import PgBoss from 'pg-boss';
import { ENQUEUE_BATCH, inBatches, measuredOutcome, isReachable, paced, PRODUCERS, samplePeak, summarize, taskPrompt, waitUntil, type PeerOutcome, type Workload } from './common';
import { pgBossSchema, postgresAddress, postgresUrl } from './connections';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const QUEUE = 'm3shd-bench-peers';

/** pg-boss started on a fresh `pgboss_bench` schema: whatever an earlier run left is dropped and the schema rebuilt from pg-boss's own plans. */
async function freshBoss(): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: postgresUrl, schema: pgBossSchema, supervise: false, schedule: false });
  boss.on('error', (error) => console.error(`pg-boss: ${error.message}`));
  await boss.start();
  const db = boss.getDb();
  await db.executeSql(`DROP SCHEMA IF EXISTS ${pgBossSchema} CASCADE`, []);
  await db.executeSql(PgBoss.getConstructionPlans(pgBossSchema), []);
  await boss.createQueue(QUEUE);
  return boss;
}

export async function runPgBoss(workload: Workload): Promise<PeerOutcome> {
  const system = 'pg-boss';
  const address = postgresAddress();
  if (!(await isReachable(address.host, address.port))) return { ok: false, system, reason: `PostgreSQL not reachable at ${address.host}:${address.port}` };
  const boss = await freshBoss();
  let workers: WorkerProcess | undefined;
  try {
    const notes: string[] = [`workers: per PgBoss instance one fetch of up to its free slots (batchSize ≤ C), a complete per job; idle poll every ${(500 / workload.concurrency).toFixed(0)} ms (= C pollers at pg-boss's 500 ms minimum)`];
    const running = await startWorkerProcess(new URL('./pgboss-workers.ts', import.meta.url), {
      workers: workload.workers,
      concurrency: workload.concurrency,
      queue: QUEUE,
    });
    workers = running;
    const workerRss = samplePeak(() => running.rssMegabytes());

    const started = performance.now();
    await inBatches(workload.tasks, ENQUEUE_BATCH, PRODUCERS, (from, to) =>
      boss.insert(Array.from({ length: to - from }, (_, offset) => ({ name: QUEUE, data: { prompt: taskPrompt(from + offset), phase: 'burst' } }))),
    );
    if (!(await waitUntil(running.completed, workload.tasks))) notes.push(`saturated phase stalled for 30 s: ${running.completed()} of ${workload.tasks} completed`);
    const burstSeconds = (performance.now() - started) / 1000;
    const burstCompleted = running.completed();

    await paced(workload.pacedTasks, workload.pacedRate, (index) => boss.send(QUEUE, { prompt: taskPrompt(workload.tasks + index), phase: 'paced' }));
    const total = workload.tasks + workload.pacedTasks;
    if (!(await waitUntil(running.completed, total))) notes.push(`paced phase stalled for 30 s: ${running.completed()} of ${total} completed`);
    const peakRssMb = workerRss.stop();

    const db = boss.getDb();
    const check = await db.executeSql(
      `SELECT count(*) FILTER (WHERE state = 'completed')::int AS completed, count(*) FILTER (WHERE output->>'output' IS DISTINCT FROM upper(data->>'prompt'))::int AS wrong FROM ${pgBossSchema}.job WHERE name = $1`,
      [QUEUE],
    );
    const { completed, wrong } = check.rows[0] as { completed: number; wrong: number };
    if (completed !== total || wrong > 0) notes.push(`check: ${completed} completed jobs of ${total}, ${wrong} with a wrong output`);
    const pickups = await db.executeSql(
      `SELECT extract(epoch FROM started_on - created_on) * 1000 AS ms FROM ${pgBossSchema}.job WHERE name = $1 AND data->>'phase' = 'paced'`,
      [QUEUE],
    );
    const pickup = summarize(pickups.rows.map((row: { ms: string | number }) => Number(row.ms)));
    notes.push('PostgreSQL backends not counted in RSS');
    return measuredOutcome({ system, burstCompleted, burstSeconds, pickup, peakRssMb, rssOf: `worker process (K PgBoss instances; ${running.how})`, notes });
  } finally {
    await workers?.stop();
    await boss.getDb().executeSql(`DROP SCHEMA IF EXISTS ${pgBossSchema} CASCADE`, []);
    await boss.stop({ graceful: false, wait: true });
  }
}
