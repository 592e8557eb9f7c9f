// Hub event fan-out: S GET /api/stream subscribers (one commander token each) on a fresh hub with no workers, E paced task creations, each one task_created event per subscriber.
import { openEventStream } from '../../../src/lib/event-stream-client';
import { createHubClient } from '../../../src/lib/hub-client';
import { startBenchHub } from '../bench-hub';
import { paced, samplePeak, sleep, summarize, waitUntil } from './common';
import { BENCH_MASTER_TOKEN, HUB_ENV } from './hub-peer';

export interface FanoutOptions {
  subscribers: number;
  events: number;
  /** Events (task creations) per second. */
  rate: number;
  port: number;
}

export interface FanoutFigures {
  subscribers: number;
  events: number;
  rate: number;
  received: number;
  expected: number;
  resyncs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  peakRssMb: number;
}


export async function runFanout(options: FanoutOptions): Promise<FanoutFigures> {
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const hub = await startBenchHub({ port: options.port, env: HUB_ENV, nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  const subscriptions: { close(): void }[] = [];
  try {
    let received = 0;
    let resyncs = 0;
    const latencies: number[] = [];
    // One commander token per subscriber (it sees the whole mesh): the hub caps open streams per
    // principal, as it should, so 100 streams of one token would not be 100 watchers.
    const master = createHubClient({ hubUrl: hub.url, token: BENCH_MASTER_TOKEN });
    const tokens: string[] = [];
    for (let index = 0; index < options.subscribers; index += 1) {
      tokens.push((await master.tokens.create.mutate({ agentId: `watcher-${index}`, preset: 'commander' })).token);
    }
    await Promise.all(
      tokens.map(
        (token) =>
          new Promise<void>((resolve, reject) => {
            subscriptions.push(
              openEventStream({
                hubUrl: hub.url,
                token,
                onOpen: () => resolve(),
                onError: (error) => {
                  if (error.fatal) reject(new Error(error.message));
                },
                onEvent(event) {
                  if (event.type === 'resync' || event.type === 'overflow') resyncs += 1;
                  if (event.type !== 'task_created' || !event.payload.title.startsWith('fanout ')) return;
                  latencies.push(Date.now() - Date.parse(event.ts));
                  received += 1;
                },
              }),
            );
          }),
      ),
    );
    await sleep(1_000);

    const hubRss = samplePeak(() => hub.rssMegabytes());
    await paced(options.events, options.rate, (index) => master.tasks.create.mutate({ title: `fanout ${index}`, prompt: 'fan-out benchmark task' }));
    const expected = options.subscribers * options.events;
    await waitUntil(() => received, expected, 3_000); // stragglers: until all arrived or none for 3 s
    const peakRssMb = hubRss.stop();
    const latency = summarize(latencies);
    return { subscribers: options.subscribers, events: options.events, rate: options.rate, received, expected, resyncs, latencyP50Ms: latency.p50, latencyP99Ms: latency.p99, peakRssMb };
  } finally {
    for (const subscription of subscriptions) subscription.close();
    await hub.stop();
  }
}
