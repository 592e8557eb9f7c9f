// Child process for the pg-boss peer: K PgBoss instances (each its own pool), each fetching up to its C free slots per call, upper-casing and completing.
import PgBoss from 'pg-boss';
import { sleep } from './common';
import { pgBossSchema, postgresUrl } from './connections';
import { runWorkerProcess } from './worker-process';

/** pg-boss's minimum polling interval: its work() refuses less. */
const MIN_POLL_MS = 500;

await runWorkerProcess(async (config, completed) => {
  let stopping = false;
  // One fetcher per worker takes up to its free slots per fetch (pg-boss's batchSize), like the hub
  // worker's claim. Idle, it polls every 500/C ms: the same poll load as pg-boss 10's work() called
  // C times (its way to run C jobs at once) at the minimum interval, without work()'s pause after
  // each job and with one fetch per batch instead of one per job.
  const idlePollMs = MIN_POLL_MS / config.concurrency;
  const worker = async (boss: PgBoss) => {
    let free = config.concurrency;
    let wake: (() => void) | undefined;
    const release = () => {
      free += 1;
      wake?.();
      wake = undefined;
    };
    await sleep(Math.random() * idlePollMs);
    while (!stopping) {
      if (free === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const jobs = await boss.fetch<{ prompt: string }>(config.queue, { batchSize: free }).catch((error: Error) => {
        console.error(`pg-boss worker: fetch: ${error.message}`);
        return [];
      });
      if (jobs.length === 0) {
        await sleep(idlePollMs * (0.5 + Math.random())); // jittered so that workers drained together do not poll in lockstep
        continue;
      }
      free -= jobs.length;
      for (const job of jobs) {
        boss.complete(config.queue, job.id, { output: job.data.prompt.toUpperCase() }).then(
          () => {
            completed();
            release();
          },
          (error: Error) => {
            console.error(`pg-boss worker: complete ${job.id}: ${error.message}`);
            release();
          },
        );
      }
    }
    while (free < config.concurrency) await new Promise<void>((resolve) => (wake = resolve));
  };

  const bosses: PgBoss[] = [];
  for (let index = 0; index < config.workers; index += 1) {
    const boss = new PgBoss({ connectionString: postgresUrl, schema: pgBossSchema, migrate: false, supervise: false, schedule: false });
    boss.on('error', (error) => console.error(`pg-boss worker ${index}: ${error.message}`));
    await boss.start();
    bosses.push(boss);
  }
  const running = bosses.map(worker);
  return async () => {
    stopping = true;
    await Promise.all(running);
    await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true })));
  };
});
