// The per-agent circuit breaker (spec section 08) as pure transitions over its stored state:
// N consecutive failures open it; after the cooldown it is half-open and lets one task
// through; that task's success closes it, its failure opens it again at once.

export type BreakerStateName = 'closed' | 'open' | 'half_open';

export interface BreakerRecord {
  state: BreakerStateName;
  consecutiveFailures: number;
  openedAt: Date | null;
  probeTaskId: string | null;
}

export interface BreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
}

export const CLOSED_BREAKER: BreakerRecord = { state: 'closed', consecutiveFailures: 0, openedAt: null, probeTaskId: null };

/** The state as of `now`: an open breaker whose cooldown has passed is half-open. */
export function effectiveBreakerState(record: BreakerRecord, now: Date, settings: BreakerSettings): BreakerStateName {
  if (record.state === 'open' && record.openedAt && now.getTime() - record.openedAt.getTime() >= settings.cooldownMs) return 'half_open';
  return record.state;
}

/** Whether dispatch may give this agent a task now. */
export function breakerAllowsTask(record: BreakerRecord, now: Date, settings: BreakerSettings): boolean {
  const state = effectiveBreakerState(record, now, settings);
  return state === 'closed' || (state === 'half_open' && record.probeTaskId === null);
}

/** Assigning a task: while half-open it becomes the one probe let through. */
export function breakerAfterAssignment(record: BreakerRecord, taskId: string, now: Date, settings: BreakerSettings): BreakerRecord {
  return effectiveBreakerState(record, now, settings) === 'half_open' ? { ...record, state: 'half_open', probeTaskId: taskId } : record;
}

export function breakerAfterSuccess(): BreakerRecord {
  return CLOSED_BREAKER;
}

export function breakerAfterFailure(record: BreakerRecord, now: Date, settings: BreakerSettings): BreakerRecord {
  const consecutiveFailures = record.consecutiveFailures + 1;
  const state = effectiveBreakerState(record, now, settings);
  if (state === 'half_open' || state === 'open' || consecutiveFailures >= settings.failureThreshold) {
    return { state: 'open', consecutiveFailures, openedAt: now, probeTaskId: null };
  }
  return { ...record, consecutiveFailures };
}

/**
 * A task that was the half-open probe went away without a verdict (requeued by a sweeper,
 * cancelled, handed off): let another probe through.
 */
export function breakerAfterProbeAbandoned(record: BreakerRecord, taskId: string): BreakerRecord {
  return record.probeTaskId === taskId ? { ...record, probeTaskId: null } : record;
}
