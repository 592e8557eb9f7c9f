import { describe, expect, it } from 'vitest';
import {
  breakerAfterAssignment,
  breakerAfterFailure,
  breakerAfterSuccess,
  breakerAllowsTask,
  CLOSED_BREAKER,
  effectiveBreakerState,
} from './circuit-breaker';

const settings = { failureThreshold: 3, cooldownMs: 60_000 };
const at = (seconds: number) => new Date(seconds * 1000);

describe('circuit breaker', () => {
  it('opens after 3 consecutive failures, half-opens after 60 s for one probe, closes on its success', () => {
    let breaker = CLOSED_BREAKER;
    breaker = breakerAfterFailure(breaker, at(0), settings);
    breaker = breakerAfterFailure(breaker, at(1), settings);
    expect(breaker.state).toBe('closed');
    breaker = breakerAfterFailure(breaker, at(2), settings);
    expect(breaker.state).toBe('open');
    expect(breakerAllowsTask(breaker, at(61), settings)).toBe(false);
    expect(effectiveBreakerState(breaker, at(62), settings)).toBe('half_open');
    expect(breakerAllowsTask(breaker, at(62), settings)).toBe(true);
    breaker = breakerAfterAssignment(breaker, 'probe', at(62), settings);
    expect(breakerAllowsTask(breaker, at(63), settings)).toBe(false);
    expect(breakerAfterSuccess()).toEqual(CLOSED_BREAKER);
  });

  it('re-opens at once when the half-open probe fails', () => {
    let breaker = { state: 'open' as const, consecutiveFailures: 3, openedAt: at(0), probeTaskId: null };
    breaker = breakerAfterAssignment(breaker, 'probe', at(60), settings) as typeof breaker;
    const failed = breakerAfterFailure(breaker, at(70), settings);
    expect(failed.state).toBe('open');
    expect(failed.openedAt).toEqual(at(70));
    expect(breakerAllowsTask(failed, at(129), settings)).toBe(false);
  });

  it('a success resets the failure count', () => {
    let breaker = breakerAfterFailure(CLOSED_BREAKER, at(0), settings);
    breaker = breakerAfterFailure(breaker, at(1), settings);
    breaker = breakerAfterSuccess();
    breaker = breakerAfterFailure(breaker, at(2), settings);
    expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
  });
});
