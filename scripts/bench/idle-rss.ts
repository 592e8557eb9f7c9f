// Benchmark: the production hub's resident memory when idle. Starts the compiled hub
// (dist/server.js with the production flags, as `npm start` and the Docker image run it) on a
// fresh data dir, loads a few pages signed out and signed in, waits for it to settle, then
// prints its RSS and what it consists of, read from /proc/<pid>/smaps (Linux only). With
// --probe, a preloaded module (memory-probe.mjs) also reports V8's own figures on a signal; the
// hub serves no memory endpoint. Targets from the issue: ≤ 160 MB idle with the UI on; the
// container limit is 256 MB. Prints figures; asserts nothing.
//   npm run bench:rss -- [--ui on|off|both] [--runs 1] [--settle 10] [--probe] [--port 3396]
//                        [--node-flags "--wasm-tier-up --wasm-dynamic-tiering"]   (after the production flags: to try one without)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchHub, type BenchHub } from './bench-hub';

const IDLE_TARGET_MB = 160;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
function numberOption(name: string, fallback: number): number {
  const value = Number(option(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const uiModes = ({ on: ['on'], off: ['off'], both: ['on', 'off'] } as const)[(option('ui') ?? 'both') as 'on' | 'off' | 'both'] ?? ['on', 'off'];
const runs = numberOption('runs', 1);
const settleSeconds = numberOption('settle', 10);
const port = numberOption('port', 3396);
const probe = process.argv.includes('--probe');
const extraNodeFlags = option('node-flags')?.split(' ').filter(Boolean) ?? [];
const probeModule = path.join(import.meta.dirname, 'memory-probe.mjs');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kilobytes: number) => `${(kilobytes / 1024).toFixed(1)} MB`;

/** Visits pages the way a first browser session would (documents and the hub's own endpoints). */
async function loadPages(hub: BenchHub, uiOn: boolean): Promise<void> {
  const get = async (pathname: string, cookie?: string) => {
    const response = await fetch(`${hub.url}${pathname}`, { headers: cookie ? { cookie } : {} });
    await response.arrayBuffer();
    if (response.status >= 500) throw new Error(`GET ${pathname}: ${response.status}`);
  };
  await get('/api/health');
  if (!uiOn) return;
  for (const pathname of ['/', '/login']) await get(pathname);
  const login = await fetch(`${hub.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: hub.adminPassword }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!login.ok || !cookie) throw new Error(`POST /api/login: ${login.status}`);
  for (const pathname of ['/', '/tasks', '/mesh', '/chat', '/api/auth/session', '/api/trpc/agents.list']) await get(pathname, cookie);
  await get('/login');
}

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  name: string;
  rss: number;
}

function readMappings(pid: number): Mapping[] {
  const mappings: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = { start: BigInt(`0x${header[1]}`), end: BigInt(`0x${header[2]}`), perms: header[3]!, name: header[4]!.trim(), rss: 0 };
      mappings.push(current);
    } else if (current && line.startsWith('Rss:')) {
      current.rss = Number(/(\d+)/.exec(line)?.[1] ?? 0);
    }
  }
  return mappings;
}

const ARENA_ALIGNMENT = 64n * 1024n * 1024n;

/** RSS by kind of mapping, in kB. */
function breakdown(pid: number): [string, number][] {
  const groups = new Map<string, number>();
  const add = (group: string, kilobytes: number) => groups.set(group, (groups.get(group) ?? 0) + kilobytes);
  for (const mapping of readMappings(pid)) {
    if (mapping.rss === 0) continue;
    if (mapping.name === process.execPath || mapping.name === fs.realpathSync(process.execPath)) add('node binary (file pages, shared)', mapping.rss);
    else if (mapping.name.endsWith('.node')) add(`native addon ${path.basename(mapping.name)}`, mapping.rss);
    else if (/\.so(\.|$)/.test(mapping.name)) add('shared libraries', mapping.rss);
    else if (mapping.name === '[heap]') add('malloc, main arena ([heap])', mapping.rss);
    else if (mapping.name.startsWith('[')) add(`other ${mapping.name}`, mapping.rss);
    else if (mapping.name !== '') add('other files', mapping.rss);
    else if (mapping.perms.includes('x')) add('anonymous, executable (JIT and WebAssembly code)', mapping.rss);
    // glibc's per-thread arenas are mmapped at 64 MB-aligned addresses.
    else if (mapping.start % ARENA_ALIGNMENT === 0n && mapping.end - mapping.start <= ARENA_ALIGNMENT) add('malloc, thread arenas', mapping.rss);
    else add('anonymous (V8 heap, WebAssembly memory, other)', mapping.rss);
  }
  return [...groups.entries()].sort((a, b) => b[1] - a[1]);
}

function status(pid: number): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const match = /^(Vm\w+|Rss\w+):\s+(\d+) kB/.exec(line);
    if (match) fields[match[1]!] = Number(match[2]);
  }
  return fields;
}

async function probeReport(hub: BenchHub, file: string): Promise<string[]> {
  fs.rmSync(file, { force: true });
  process.kill(hub.pid, 'SIGUSR2');
  for (let waited = 0; waited < 2_000 && !fs.existsSync(file); waited += 50) await sleep(50);
  if (!fs.existsSync(file)) return ['  (the memory probe did not answer)'];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    memoryUsage: NodeJS.MemoryUsage;
    peakMallocedBytes: number;
    spaces: { name: string; size: number; used: number }[];
  };
  const m = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const usage = report.memoryUsage;
  const spaces = report.spaces.filter((space) => space.size > 0).map((space) => `${space.name.replace('_space', '')} ${m(space.size)}`);
  return [
    `  V8 heap ${m(usage.heapTotal)} (used ${m(usage.heapUsed)}): ${spaces.join(', ')}`,
    `  external ${m(usage.external)} (array buffers ${m(usage.arrayBuffers)}); V8's peak malloc ${m(report.peakMallocedBytes)}`,
  ];
}

async function measure(uiOn: boolean, run: number): Promise<number> {
  const probeFile = path.join(os.tmpdir(), `m3shd-memory-probe-${process.pid}-${run}.json`);
  const hub = await startBenchHub({
    port,
    env: { MESH_UI: uiOn ? 'on' : 'off', ...(probe ? { M3SHD_MEMORY_PROBE_FILE: probeFile } : {}) },
    nodeFlags: [...extraNodeFlags, ...(probe ? ['--import', probeModule] : [])],
  });
  try {
    const started = status(hub.pid).VmRSS ?? 0;
    await loadPages(hub, uiOn);
    const loaded = status(hub.pid).VmRSS ?? 0;
    await sleep(settleSeconds * 1000);
    const fields = status(hub.pid);
    const idle = fields.VmRSS ?? 0;
    const launched = fs.readFileSync(`/proc/${hub.pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1).join(' ');
    console.log(`UI ${uiOn ? 'on ' : 'off'} run ${run}: idle RSS ${mb(idle)} (after start ${mb(started)}, after the pages ${mb(loaded)}, peak ${mb(fields.VmHWM ?? 0)})`);
    console.log(`  node ${launched}`);
    console.log(`  anonymous ${mb(fields.RssAnon ?? 0)}, file-backed ${mb(fields.RssFile ?? 0)}, shared memory ${mb(fields.RssShmem ?? 0)}`);
    for (const [group, kilobytes] of breakdown(hub.pid)) if (kilobytes >= 512) console.log(`  ${mb(kilobytes).padStart(9)}  ${group}`);
    if (probe) for (const line of await probeReport(hub, probeFile)) console.log(line);
    return idle;
  } finally {
    await hub.stop();
    fs.rmSync(probeFile, { force: true });
  }
}

if (process.platform !== 'linux') {
  console.error('bench:rss reads /proc and runs on Linux only');
  process.exit(1);
}
for (const mode of uiModes) {
  const figures: number[] = [];
  for (let run = 1; run <= runs; run += 1) figures.push(await measure(mode === 'on', run));
  const worst = Math.max(...figures);
  const target = mode === 'on' ? ` (target ≤ ${IDLE_TARGET_MB} MB: ${worst / 1024 <= IDLE_TARGET_MB ? 'met' : 'missed'})` : '';
  console.log(`UI ${mode}: idle RSS ${figures.map(mb).join(', ')}${target}\n`);
}
