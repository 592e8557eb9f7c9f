// Child process for the BullMQ peer: K BullMQ Workers (each with its own Redis connections, concurrency C) upper-casing prompts.
import { Worker } from 'bullmq';
import { redisConnection } from './connections';
import { runWorkerProcess } from './worker-process';

await runWorkerProcess(async (config, completed) => {
  const workers: Worker[] = [];
  for (let index = 0; index < config.workers; index += 1) {
    const worker = new Worker<{ prompt: string }, string>(config.queue, async (job) => job.data.prompt.toUpperCase(), {
      connection: redisConnection(),
      concurrency: config.concurrency,
    });
    worker.on('completed', completed);
    worker.on('failed', (job, error) => console.error(`bullmq worker: job ${job?.id} failed: ${error.message}`));
    workers.push(worker);
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return async () => {
    await Promise.all(workers.map((worker) => worker.close()));
  };
});
