import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../testing/manual-clock';
import { LoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  it('refuses after 5 failures in 5 minutes, per IP, until the oldest failure expires', () => {
    const clock = new ManualClock();
    const limiter = new LoginRateLimiter(clock, 5, 300_000);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
      clock.advance(10_000);
    }
    // 50 s after the first failure: it expires 250 s from now.
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(250);
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
    clock.advance(250_000);
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });
});
