// Benchmark: requests/s and p50/p99 latency of an authenticated tRPC query (account.me with
// an agent token: a token lookup by hash on every request) against a real hub process, plus
// the hub's idle RSS. Prints figures; asserts nothing.
//   npm run bench:trpc -- [--requests 20000] [--concurrency 32]
import os from 'node:os';
import { createHubClient } from '../../src/lib/hub-client';
import { percentile, startBenchHub } from './bench-hub';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const totalRequests = argument('requests', 20_000);
const concurrency = argument('concurrency', 32);
const port = argument('port', 3391);

const masterToken = `bench-master-${'x'.repeat(40)}`;
const hub = await startBenchHub({ port, env: { MESH_MASTER_TOKEN: masterToken, MESH_UI: 'off' } });

try {
  const hubUrl = hub.url;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleRss = hub.rssMegabytes();

  const master = createHubClient({ hubUrl, token: masterToken });
  const { token } = await master.tokens.create.mutate({ agentId: 'bench', preset: 'worker' });
  const client = createHubClient({ hubUrl, token, batch: false });
  for (let warmup = 0; warmup < 500; warmup += 1) await client.account.me.query();

  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < totalRequests) {
        issued += 1;
        const begin = performance.now();
        await client.account.me.query();
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const loadedRss = hub.rssMegabytes();
  latencies.sort((a, b) => a - b);

  console.log(`authenticated tRPC query (account.me, agent token), ${latencies.length} requests, concurrency ${concurrency}, ${os.cpus().length} cores`);
  console.log(`  requests/s        ${(latencies.length / seconds).toFixed(0)}`);
  console.log(`  latency p50       ${percentile(latencies, 0.5).toFixed(2)} ms`);
  console.log(`  latency p99       ${percentile(latencies, 0.99).toFixed(2)} ms`);
  console.log(`  hub idle RSS      ${idleRss.toFixed(1)} MB (API only, MESH_UI=off)`);
  console.log(`  hub RSS after run ${loadedRss.toFixed(1)} MB`);
} finally {
  await hub.stop();
}
