// The BullMQ peer: the workload against BullMQ on local Redis, workers in a child process, pickup from BullMQ's own job timestamps.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ENQUEUE_BATCH, inBatches, measuredOutcome, isReachable, paced, PRODUCERS, rssMegabytes, samplePeak, summarize, taskPrompt, waitUntil, type PeerOutcome, type Workload } from './common';
import { redis, redisConnection } from './connections';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const QUEUE = 'm3shd-bench-peers';

/** redis-server's pid (from INFO), to sample its RSS too when it runs on this machine. */
async function redisServerPid(): Promise<number> {
  const client = new Redis({ host: redis.host, port: redis.port });
  try {
    return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

export async function runBullmq(workload: Workload): Promise<PeerOutcome> {
  const system = 'BullMQ';
  if (!(await isReachable(redis.host, redis.port))) return { ok: false, system, reason: `Redis not reachable at ${redis.host}:${redis.port}` };
  const queue = new Queue<{ prompt: string }, string>(QUEUE, { connection: redisConnection() });
  await queue.obliterate({ force: true });
  let workers: WorkerProcess | undefined;
  try {
    const notes: string[] = [];
    const redisPid = await redisServerPid();
    const running = await startWorkerProcess(new URL('./bullmq-workers.ts', import.meta.url), {
      workers: workload.workers,
      concurrency: workload.concurrency,
      queue: QUEUE,
    });
    workers = running;
    const workerRss = samplePeak(() => running.rssMegabytes());
    const redisRss = samplePeak(() => (redisPid ? rssMegabytes(redisPid) : 0));

    const started = performance.now();
    await inBatches(workload.tasks, ENQUEUE_BATCH, PRODUCERS, (from, to) =>
      queue.addBulk(Array.from({ length: to - from }, (_, offset) => ({ name: 'burst', data: { prompt: taskPrompt(from + offset) } }))),
    );
    if (!(await waitUntil(running.completed, workload.tasks))) notes.push(`saturated phase stalled for 30 s: ${running.completed()} of ${workload.tasks} completed`);
    const burstSeconds = (performance.now() - started) / 1000;
    const burstCompleted = running.completed();

    await paced(workload.pacedTasks, workload.pacedRate, (index) => queue.add('paced', { prompt: taskPrompt(workload.tasks + index) }));
    const total = workload.tasks + workload.pacedTasks;
    if (!(await waitUntil(running.completed, total))) notes.push(`paced phase stalled for 30 s: ${running.completed()} of ${total} completed`);
    const peakRssMb = workerRss.stop();
    const redisPeak = redisRss.stop();

    const jobs = await queue.getJobs(['completed'], 0, -1);
    const wrong = jobs.filter((job) => job.returnvalue !== job.data.prompt.toUpperCase()).length;
    if (jobs.length !== total || wrong > 0) notes.push(`check: ${jobs.length} completed jobs of ${total}, ${wrong} with a wrong output`);
    const pickup = summarize(jobs.filter((job) => job.name === 'paced').map((job) => (job.processedOn ?? Number.NaN) - job.timestamp));
    notes.push('pickup from job.timestamp → job.processedOn, whole milliseconds');
    if (redisPeak > 0) notes.push(`redis-server peak RSS ${redisPeak.toFixed(1)} MB (not in the ratio)`);
    return measuredOutcome({ system, burstCompleted, burstSeconds, pickup, peakRssMb, rssOf: `worker process (K BullMQ Workers; ${running.how})`, notes });
  } finally {
    await workers?.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
