// Benchmark: memory.search at 100,000 entries. A hub in this process on a fresh data dir (the
// real service, repository and SQLite file, blind index and decryption included) is seeded with
// N entries of generated text, then searched: short queries (2-3 words) and task-sized ones (a
// claim's title and prompt, reduced to 32 words), through the service and over HTTP with the
// real tRPC client. Prints p50/p99 of each (goal: p99 ≤ 5 ms for the service call).
//   npm run bench:memory -- [--entries 100000] [--agents 1] [--queries 2000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHubClient } from '../../src/lib/hub-client';
import { loadConfig } from '../../src/server/config';
import { createHub } from '../../src/server/hub';
import { startHubServer } from '../../src/server/http/hub-server';
import { percentile } from './bench-hub';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const entryCount = argument('entries', 100_000);
const agentCount = argument('agents', 1);
const queryCount = argument('queries', 2_000);

// A deterministic pseudo-random source, so every run searches the same data.
let seed = 0x2f6b1d;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
// A vocabulary of 8,000 made-up words drawn with a Zipf-like skew, as natural text is.
const syllables = ['ka', 'lo', 'mi', 'ra', 'tu', 'sen', 'vor', 'pel', 'dra', 'quo', 'zi', 'ne', 'bar', 'fis', 'gul', 'hex'];
const vocabulary = Array.from({ length: 8_000 }, (_, index) => {
  let word = '';
  for (let value = index + 17; value > 0; value = Math.floor(value / syllables.length)) word += syllables[value % syllables.length];
  return word;
});
const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 2.5)]!;
const sentence = (words: number) => Array.from({ length: words }, word).join(' ');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-bench-memory-'));
const masterToken = `bench-master-${'m'.repeat(40)}`;
const config = loadConfig({ MESH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MESH_MASTER_TOKEN: masterToken }, 'bench');
const { hub } = await createHub({ config, migrationsDir: path.resolve('prisma/migrations') });
const server = await startHubServer({ hub, port: 0, host: '127.0.0.1', sweepers: [] });

try {
  const agents = Array.from({ length: agentCount }, (_, index) => `bench-${index}`);
  const master = createHubClient({ hubUrl: server.url, token: masterToken });
  const { token } = await master.tokens.create.mutate({ agentId: agents[0]!, preset: 'worker' });
  for (const agentId of agents) {
    await hub.agents.register({ kind: 'master', via: 'token' }, { id: agentId, name: agentId, machine: 'bench', kind: 'desktop', capabilities: [], maxConcurrent: 1 });
  }

  const seedStarted = performance.now();
  const batch = 2_000;
  for (let offset = 0; offset < entryCount; offset += batch) {
    const inputs = Array.from({ length: Math.min(batch, entryCount - offset) }, (_, index) => ({
      agentId: agents[(offset + index) % agents.length]!,
      key: `fact.${offset + index}`,
      value: sentence(15 + Math.floor(random() * 30)),
      source: 'agent' as const,
      confidence: null,
    }));
    await hub.memoryRepository.storeMany(inputs);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const fileMegabytes = fs.statSync(config.databaseFile).size / 1024 / 1024;

  const agent = agents[0]!;
  const shortQueries = Array.from({ length: queryCount }, () => sentence(2 + Math.floor(random() * 2)));
  const taskQueries = Array.from({ length: queryCount }, () => `${sentence(4)}\n${sentence(120)}`);
  let hits = 0;

  async function measure(queries: string[], search: (query: string) => Promise<unknown[]>): Promise<{ p50: number; p99: number }> {
    for (const query of queries.slice(0, 100)) await search(query); // warm the statement cache and pages
    const durations: number[] = [];
    for (const query of queries) {
      const started = performance.now();
      hits += (await search(query)).length;
      durations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    return { p50: percentile(durations, 0.5), p99: percentile(durations, 0.99) };
  }

  const agentClient = createHubClient({ hubUrl: server.url, token, batch: false });
  const results = {
    'service, 2-3 words  ': await measure(shortQueries, (query) => hub.memory.searchForAgent(agent, query, 10)),
    'service, task text  ': await measure(taskQueries, (query) => hub.memory.searchForAgent(agent, query, 5)),
    'HTTP, 2-3 words     ': await measure(shortQueries, (query) => agentClient.memory.search.query({ query, limit: 10 })),
    'HTTP, task text     ': await measure(taskQueries, (query) => agentClient.memory.search.query({ query, limit: 5 })),
  };

  console.log(`memory.search: ${entryCount.toLocaleString('en')} entries over ${agentCount} agent(s) (${(entryCount / agentCount).toLocaleString('en')} searched per query), ${os.cpus().length} cores`);
  console.log(`  seeding             ${(entryCount / seedSeconds).toFixed(0)} entries/s; database file ${fileMegabytes.toFixed(0)} MB`);
  for (const [name, figure] of Object.entries(results)) console.log(`  ${name}p50 ${figure.p50.toFixed(2)} ms, p99 ${figure.p99.toFixed(2)} ms`);
  console.log(`  (${hits.toLocaleString('en')} hits returned in all)`);
} finally {
  await server.shutdown();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
