// Benchmark: requests/s and p50/p99 latency of an authenticated tRPC query (account.me with
// an agent token: a token lookup by hash on every request) against a real hub process, plus
// the hub's idle RSS. Prints figures; asserts nothing.
//   npm run bench:trpc -- [--requests 20000] [--concurrency 32]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHubClient } from '../../src/lib/hub-client';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const totalRequests = argument('requests', 20_000);
const concurrency = argument('concurrency', 32);
const port = argument('port', 3391);

function rssMegabytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kilobytes / 1024;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-'));
const masterToken = `bench-master-${'x'.repeat(40)}`;
const hub = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MESH_DATA_DIR: dataDir, MESH_MASTER_TOKEN: masterToken, MESH_UI: 'off' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

try {
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('hub did not start in 60 s')), 60_000);
    hub.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    hub.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  const hubUrl = `http://127.0.0.1:${port}`;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleRss = rssMegabytes(hub.pid!);

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
  const loadedRss = rssMegabytes(hub.pid!);
  latencies.sort((a, b) => a - b);

  console.log(`authenticated tRPC query (account.me, agent token), ${latencies.length} requests, concurrency ${concurrency}, ${os.cpus().length} cores`);
  console.log(`  requests/s        ${(latencies.length / seconds).toFixed(0)}`);
  console.log(`  latency p50       ${percentile(latencies, 0.5).toFixed(2)} ms`);
  console.log(`  latency p99       ${percentile(latencies, 0.99).toFixed(2)} ms`);
  console.log(`  hub idle RSS      ${idleRss.toFixed(1)} MB (API only, MESH_UI=off)`);
  console.log(`  hub RSS after run ${loadedRss.toFixed(1)} MB`);
} finally {
  hub.kill('SIGTERM');
  await new Promise((resolve) => hub.once('exit', resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
