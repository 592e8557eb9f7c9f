// Benchmark: the same workload against the hub, BullMQ (local Redis) and pg-boss (local PostgreSQL), one after another; prints one comparison table, hub ÷ peer ratios and the hub's event fan-out.
//   npm run bench:peers -- [--quick] [--tasks 20000] [--workers 4] [--concurrency 16] [--paced 1000] [--rate 200]
//                          [--claim-wait-ms 25000 (0: hub workers claim when woken by their stream)]
//                          [--subscribers 100] [--events 1000] [--fanout-rate 200] [--port 3393] [--only hub,bullmq,pgboss,fanout]
import os from 'node:os';
import { runBullmq } from './peers/bullmq-peer';
import type { PeerFigures, PeerOutcome, Workload } from './peers/common';
import { runFanout, type FanoutFigures } from './peers/fanout';
import { HUB_SYSTEM, runHub } from './peers/hub-peer';
import { runPgBoss } from './peers/pgboss-peer';

const quick = process.argv.includes('--quick');

function argument(name: string, full: number, small: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : quick ? small : full;
}

/** --claim-wait-ms takes 0 too (the argument() helper keeps positive values only). */
function claimWaitArgument(): number {
  const index = process.argv.indexOf('--claim-wait-ms');
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isInteger(value) && value >= 0 ? value : 25_000;
}

const workload: Workload = {
  tasks: argument('tasks', 20_000, 2_000),
  workers: argument('workers', 4, 4),
  concurrency: argument('concurrency', 16, 16),
  pacedTasks: argument('paced', 1_000, 300),
  pacedRate: argument('rate', 200, 200),
  claimWaitMs: claimWaitArgument(),
};
const fanout = {
  subscribers: argument('subscribers', 100, 20),
  events: argument('events', 1_000, 200),
  rate: argument('fanout-rate', 200, 200),
};
const port = argument('port', 3393, 3393);
const onlyIndex = process.argv.indexOf('--only');
const only = new Set(onlyIndex === -1 ? ['hub', 'bullmq', 'pgboss', 'fanout'] : (process.argv[onlyIndex + 1] ?? '').split(','));

async function attempt(system: string, run: () => Promise<PeerOutcome>): Promise<PeerOutcome> {
  console.error(`bench:peers: running ${system} ...`);
  try {
    return await run();
  } catch (error) {
    return { ok: false, system, reason: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const outcomes: PeerOutcome[] = [];
if (only.has('hub')) outcomes.push(await attempt(HUB_SYSTEM, () => runHub(workload, port)));
if (only.has('bullmq')) outcomes.push(await attempt('BullMQ', () => runBullmq(workload)));
if (only.has('pgboss')) outcomes.push(await attempt('pg-boss', () => runPgBoss(workload)));
let fanoutResult: FanoutFigures | string | undefined;
if (only.has('fanout')) {
  console.error('bench:peers: running hub fan-out ...');
  fanoutResult = await runFanout({ ...fanout, port: port + 1 }).catch((error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);
}

const ms = (value: number) => (value === 0 ? '<1 ms' : Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)} ms` : 'n/a');
function ratio(hub: number, peer: number): string {
  if (peer === 0 && Number.isFinite(hub)) return 'n/a (<1 ms)';
  const value = hub / peer;
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)}×` : 'n/a';
}
function row(cells: string[], widths: number[]): string {
  return cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
}

function printTable(): PeerFigures[] {
  console.log(
    `peers: ${workload.tasks} tasks saturated, ${workload.workers} workers × ${workload.concurrency} slots, pickup at a steady ${workload.pacedRate} tasks/s (${workload.pacedTasks} tasks); ` +
      `${os.cpus().length} cores, servers and clients on one machine`,
  );
  const widths = [12, 13, 9, 11, 11, 10];
  console.log(row(['system', 'lifecycles/s', 'burst', 'pickup p50', 'pickup p99', 'peak RSS'], widths) + '  RSS of');
  const measured: PeerFigures[] = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      console.log(`${outcome.system.padEnd(widths[0]!)}  skipped: ${outcome.reason}`);
      continue;
    }
    const figures = outcome.figures;
    measured.push(figures);
    const cells = [figures.system, figures.lifecyclesPerSecond.toFixed(0), `${figures.burstSeconds.toFixed(1)} s`, ms(figures.pickupP50Ms), ms(figures.pickupP99Ms), `${figures.peakRssMb.toFixed(0)} MB`];
    console.log(`${row(cells, widths)}  ${figures.rssOf}`);
  }
  for (const figures of measured) for (const note of figures.notes) console.log(`  ${figures.system}: ${note}`);
  return measured;
}

function printRatios(measured: PeerFigures[]): void {
  const hub = measured.find((figures) => figures.system === HUB_SYSTEM);
  const peers = measured.filter((figures) => figures !== hub);
  if (!hub || peers.length === 0) return;
  console.log('');
  const widths = [12, 13, 12, 12, 10];
  console.log(`${row(['hub ÷ peer', 'lifecycles/s', 'pickup p50', 'pickup p99', 'peak RSS'], widths)}  (lifecycles: >1 means the hub is faster; latency, RSS: <1 means the hub is lower)`);
  for (const peer of peers) {
    const cells = [
      `vs ${peer.system}`,
      ratio(hub.lifecyclesPerSecond, peer.lifecyclesPerSecond),
      ratio(hub.pickupP50Ms, peer.pickupP50Ms),
      ratio(hub.pickupP99Ms, peer.pickupP99Ms),
      ratio(hub.peakRssMb, peer.peakRssMb),
    ];
    console.log(row(cells, widths));
  }
}

function printFanout(result: FanoutFigures | string): void {
  console.log('');
  if (typeof result === 'string') {
    console.log(`fan-out (hub): ${result}`);
    return;
  }
  const resyncs = result.resyncs ? `, ${result.resyncs} resyncs` : '';
  console.log(
    `fan-out (hub, UI on): ${result.subscribers} GET /api/stream subscribers × ${result.events} task_created events at ${result.rate}/s: ` +
      `${((100 * result.received) / result.expected).toFixed(1)}% delivered (${result.received}/${result.expected}${resyncs}), ` +
      `latency p50 ${ms(result.latencyP50Ms)}, p99 ${ms(result.latencyP99Ms)} (receipt − event ts), hub peak RSS ${result.peakRssMb.toFixed(0)} MB`,
  );
}

console.log('');
if (outcomes.length > 0) printRatios(printTable());
if (fanoutResult !== undefined) printFanout(fanoutResult);
process.exit(0);
