// Runs each sweeper on its interval. A sweeper is a function of (hub, now) doing one pass;
// passes of one sweeper never overlap, and stop() waits for running ones.
import type { Hub } from '../hub';
import { sweepEventLogAndSessions } from './event-log-retention';
import { expireApprovals } from './approval-expiry';
import { sweepOfflineAgents } from './agent-offline';
import { sweepDeadlines } from './deadlines';
import { sweepStreamChunks } from './stream-retention';
import { sweepZombieTasks } from './zombie-tasks';
import { consolidateMemory } from './memory-consolidation';

export interface SweeperDefinition {
  name: string;
  intervalMs: number;
  run: (hub: Hub, now: Date) => Promise<unknown>;
}

export const DEFAULT_SWEEPERS: SweeperDefinition[] = [
  { name: 'event-log-retention', intervalMs: 60 * 60 * 1000, run: sweepEventLogAndSessions },
  { name: 'approval-expiry', intervalMs: 30 * 1000, run: expireApprovals },
  { name: 'agent-offline', intervalMs: 15 * 1000, run: sweepOfflineAgents },
  { name: 'zombie-tasks', intervalMs: 60 * 1000, run: sweepZombieTasks },
  { name: 'deadlines', intervalMs: 60 * 1000, run: sweepDeadlines },
  { name: 'stream-retention', intervalMs: 60 * 60 * 1000, run: sweepStreamChunks },
  { name: 'memory-consolidation', intervalMs: 24 * 60 * 60 * 1000, run: consolidateMemory },
  // Picks up what no event triggers: a breaker's cooldown ending, a budget day rolling over.
  { name: 'dispatch', intervalMs: 5 * 1000, run: (hub) => hub.dispatcher.dispatch() },
];

export interface SweeperScheduler {
  stop(): Promise<void>;
}

export function startSweepers(hub: Hub, sweepers: SweeperDefinition[] = DEFAULT_SWEEPERS): SweeperScheduler {
  const running = new Set<Promise<unknown>>();
  const busy = new Set<string>();
  const timers = sweepers.map((sweeper) =>
    setInterval(() => {
      if (busy.has(sweeper.name)) return;
      busy.add(sweeper.name);
      const pass = sweeper
        .run(hub, hub.clock.now())
        .catch((error: unknown) => hub.logger.error(`sweeper ${sweeper.name} failed (${error instanceof Error ? error.name : 'Error'})`))
        .finally(() => {
          busy.delete(sweeper.name);
          running.delete(pass);
        });
      running.add(pass);
    }, sweeper.intervalMs),
  );
  for (const timer of timers) timer.unref();
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
