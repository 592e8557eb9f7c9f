// The sliding-window request limiter on a manual clock: the limit, Retry-After, the window
// sliding, and clients counted apart.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../testing/manual-clock';
import { RequestRateLimiter } from './request-rate-limiter';

describe('RequestRateLimiter', () => {
  it('allows the limit within the window and refuses the next with the wait', () => {
    const clock = new ManualClock();
    const limiter = new RequestRateLimiter(clock, 30, 60_000);
    for (let index = 1; index <= 30; index++) {
      const decision = limiter.take('203.0.113.7');
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(30 - index);
      clock.advance(1_000);
    }
    const refused = limiter.take('203.0.113.7');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 30 });
    // The first request was 30 s ago: it leaves the window in 30 s.
    expect(refused.retryAfterSeconds).toBe(30);
  });

  it('allows again once the oldest request leaves the window, and refused requests do not count', () => {
    const clock = new ManualClock();
    const limiter = new RequestRateLimiter(clock, 2, 60_000);
    expect(limiter.take('a').allowed).toBe(true);
    clock.advance(10_000);
    expect(limiter.take('a').allowed).toBe(true);
    for (let attempt = 0; attempt < 5; attempt++) expect(limiter.take('a').allowed).toBe(false);
    clock.advance(50_001);
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('counts each client apart', () => {
    const clock = new ManualClock();
    const limiter = new RequestRateLimiter(clock, 1, 60_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });
});
