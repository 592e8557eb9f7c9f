// Shared pieces of the peer benchmark: the workload, the figures each system reports, stats, pacing, RSS sampling, reachability.
import fs from 'node:fs';
import net from 'node:net';
import { percentile } from '../bench-hub';

export interface Workload {
  /** Tasks in the saturated phase. */
  tasks: number;
  /** Worker count (K). */
  workers: number;
  /** Slots per worker (C). */
  concurrency: number;
  /** Tasks in the paced pickup-latency phase. */
  pacedTasks: number;
  /** Tasks per second in the paced phase. */
  pacedRate: number;
  /** Hub workers' long-poll claim (tasks.claim waitMs); 0: they claim when task_assigned arrives on their stream. */
  claimWaitMs: number;
}

export interface PeerFigures {
  system: string;
  lifecyclesPerSecond: number;
  burstSeconds: number;
  pickupP50Ms: number;
  pickupP99Ms: number;
  pickupSamples: number;
  peakRssMb: number;
  /** Which process the RSS figure is of. */
  rssOf: string;
  notes: string[];
}

export type PeerOutcome = { ok: true; figures: PeerFigures } | { ok: false; system: string; reason: string };

/** Enqueue calls in flight at once in the saturated phase, for every system. */
export const PRODUCERS = 4;
/** Tasks per enqueue call where the API batches (hub createMany's maximum). */
export const ENQUEUE_BATCH = 500;

export function taskPrompt(index: number): string {
  return `task ${index}: upper-case this prompt, please`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function summarize(values: number[]): { p50: number; p99: number; count: number } {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), count: sorted.length };
}

/** Counts per whole millisecond, e.g. "0:222 1:325 2:135" (where a tail comes from). */
export function histogram(values: number[]): string {
  const counts = new Map<number, number>();
  for (const value of values) if (Number.isFinite(value)) counts.set(Math.round(value), (counts.get(Math.round(value)) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([ms, count]) => `${ms}:${count}`).join(' ');
}

/** One system's measured outcome, from what every peer measures the same way. */
export function measuredOutcome(run: {
  system: string;
  burstCompleted: number;
  burstSeconds: number;
  pickup: { p50: number; p99: number; count: number };
  peakRssMb: number;
  rssOf: string;
  notes: string[];
}): PeerOutcome {
  return {
    ok: true,
    figures: {
      system: run.system,
      lifecyclesPerSecond: run.burstCompleted / run.burstSeconds,
      burstSeconds: run.burstSeconds,
      pickupP50Ms: run.pickup.p50,
      pickupP99Ms: run.pickup.p99,
      pickupSamples: run.pickup.count,
      peakRssMb: run.peakRssMb,
      rssOf: run.rssOf,
      notes: run.notes,
    },
  };
}

/** Resident memory of a process in MB, from /proc/<pid>/status (0 once it has exited). */
export function rssMegabytes(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** A process's command line, shortened (`node` for the node binary, paths relative to the cwd), for saying what was measured. */
export function commandLine(pid: number): string {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return args.map((arg, index) => (index === 0 && arg === process.execPath ? 'node' : arg.replace(`${process.cwd()}/`, ''))).join(' ');
  } catch {
    return 'exited';
  }
}

/** Samples a reading every 100 ms and keeps the peak. */
export function samplePeak(read: () => number): { stop(): number } {
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}

/** Fires `fire(i)` for i < count at a steady `rate` per second on an absolute schedule (no drift); resolves when all settled. */
export async function paced(count: number, rate: number, fire: (index: number) => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const wait = started + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(fire(index));
  }
  await Promise.all(inFlight);
}

/** Splits 0..count into batches of `size` and runs `send` on them with `parallel` calls in flight. */
export async function inBatches(count: number, size: number, parallel: number, send: (from: number, to: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + size);
        await send(from, next);
      }
    }),
  );
}

/** True when a TCP connection to host:port opens within timeoutMs. */
export function isReachable(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves true when `count()` reaches `target`, false once it has not moved for `stallMs` (the caller notes the shortfall). */
export async function waitUntil(count: () => number, target: number, stallMs = 30_000): Promise<boolean> {
  let last = count();
  let movedAt = performance.now();
  while (last < target) {
    await sleep(2);
    const now = count();
    if (now !== last) {
      last = now;
      movedAt = performance.now();
    } else if (performance.now() - movedAt > stallMs) return false;
  }
  return true;
}
