// What an API key costs per request, in one process: principalFromBearer for the master token, an
// agent token (a read; its last-used time is written at most once a minute) and an API key (a read
// and an UPDATE of its daily count in one transaction, so the count survives restarts). Prints
// microseconds per resolution; the difference is the price of a persisted daily count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/server/config';
import { createHub } from '../../src/server/hub';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-keys-'));
  const config = loadConfig({ MESH_DATA_DIR: dataDir, MESH_MASTER_TOKEN: 'm3shd_master_bench-token-0123456789abcdef', HOST: '127.0.0.1', PORT: '0' }, 'test');
  const { hub } = await createHub({ config, migrationsDir: path.resolve('prisma/migrations') });
  try {
    const master = { kind: 'master', via: 'token' } as const;
    const { token } = await hub.tokens.create(master, { agentId: 'bench', preset: 'worker' });
    const { key } = await hub.apiKeys.create(master, { name: 'bench', permissions: ['tasks:read'], rateLimitPerMinute: 10_000, dailyCap: 10_000_000 });
    const cases: [string, string][] = [
      ['master token', 'm3shd_master_bench-token-0123456789abcdef'],
      ['agent token', token],
      ['API key (counted)', key],
    ];
    const results: Record<string, number> = {};
    for (const [name, bearer] of cases) {
      // Warm-up, then a timed run; the key's per-minute limit is high enough for both.
      for (let call = 0; call < 500; call += 1) await hub.auth.principalFromBearer(bearer);
      const started = process.hrtime.bigint();
      for (let call = 0; call < Math.min(CALLS, 9_000); call += 1) await hub.auth.principalFromBearer(bearer);
      results[name] = Number(process.hrtime.bigint() - started) / 1000 / Math.min(CALLS, 9_000);
    }
    console.log(`bench:api-key-auth (${Math.min(CALLS, 9_000)} resolutions each, one process, SQLite WAL synchronous=NORMAL)`);
    for (const [name, micros] of Object.entries(results)) console.log(`  ${name.padEnd(20)} ${micros.toFixed(1)} µs per request`);
    const [row] = await hub.apiKeys.list();
    console.log(`  API key usage counted: ${row?.usageToday ?? 0} today`);
  } finally {
    await hub.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
