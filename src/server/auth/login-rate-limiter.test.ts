import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../testing/manual-clock';
import { LoginRateLimiter, type LoginAttemptDecision } from './login-rate-limiter';

const allowed = (decision: LoginAttemptDecision) => {
  if (!decision.allowed) throw new Error(`refused for ${decision.retryAfterSeconds} s`);
  return decision.attempt;
};

describe('LoginRateLimiter', () => {
  it('refuses after 5 failures in 5 minutes, per IP, until the oldest failure expires', () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, 5, 300_000);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      allowed(limiter.begin('10.0.0.1')); // never succeeds: a failure
      clock.advance(10_000);
    }
    // 50 s after the first failure: it expires 250 s from now.
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(250);
    expect(limiter.begin('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 250 });
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
    clock.advance(250_000);
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('counts an attempt when it starts: of a concurrent burst only the limit is let through', () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, 5, 300_000);
    // 40 attempts begin before any of them finishes its password check.
    const decisions = Array.from({ length: 40 }, () => limiter.begin('10.0.0.1'));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    expect(decisions.slice(5).every((decision) => !decision.allowed && decision.retryAfterSeconds === 300)).toBe(true);
  });

  it('refunds a successful attempt, so only failures stay counted', () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, 2, 300_000);
    const first = allowed(limiter.begin('10.0.0.1'));
    const second = allowed(limiter.begin('10.0.0.1'));
    expect(limiter.begin('10.0.0.1').allowed).toBe(false);
    first.succeeded();
    first.succeeded(); // a second call refunds nothing more
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
    allowed(limiter.begin('10.0.0.1')); // a failure
    expect(limiter.begin('10.0.0.1').allowed).toBe(false);
    second.succeeded();
    expect(limiter.begin('10.0.0.1').allowed).toBe(true);
  });
});
