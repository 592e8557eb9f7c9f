// Login attempts per client IP: past the limit within the window, further attempts are refused
// (429 with Retry-After) until the oldest counted attempt leaves the window. An attempt is
// counted when it starts, before the (asynchronous, ~50 ms) password check, so a concurrent
// burst cannot slip past a count that only the finished checks would raise: of N attempts sent
// at once, at most the limit are checked. A successful attempt is refunded, so only failures
// stay counted, as before. In-process, as in the spec; a restart forgets it.
import type { Clock } from '../clock';

/** One counted attempt; call `succeeded()` when it logged in (it then no longer counts). */
export interface LoginAttempt {
  succeeded(): void;
}

export type LoginAttemptDecision = { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterSeconds: number };

/** IPs tracked before expired entries are swept (bounds memory under many distinct IPs). */
const SWEEP_ABOVE_CLIENTS = 10_000;

export class LoginRateLimiter {
  /** Per IP: the start times of the counted attempts (failures and attempts still being checked). */
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt from `ip` now, before it is checked, or refuses it with the wait. */
  begin(ip: string): LoginAttemptDecision {
    const retryAfterSeconds = this.retryAfterSeconds(ip);
    if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds };
    const startedAt = this.clock.now().getTime();
    const recent = this.recentAttempts(ip);
    recent.push(startedAt);
    this.attempts.set(ip, recent);
    if (this.attempts.size > SWEEP_ABOVE_CLIENTS) this.forgetExpired();
    let settled = false;
    return {
      allowed: true,
      attempt: {
        succeeded: () => {
          if (settled) return;
          settled = true;
          const list = this.attempts.get(ip);
          const index = list?.indexOf(startedAt) ?? -1;
          if (list && index !== -1) {
            list.splice(index, 1);
            if (list.length === 0) this.attempts.delete(ip);
          }
        },
      },
    };
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfterSeconds(ip: string): number {
    const recent = this.recentAttempts(ip);
    if (recent.length < this.maxFailures) return 0;
    const oldest = recent[recent.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock.now().getTime()) / 1000));
  }

  private recentAttempts(ip: string): number[] {
    const cutoff = this.clock.now().getTime() - this.windowMs;
    const recent = (this.attempts.get(ip) ?? []).filter((time) => time > cutoff);
    if (recent.length === 0) this.attempts.delete(ip);
    else this.attempts.set(ip, recent);
    return recent;
  }

  private forgetExpired(): void {
    for (const ip of [...this.attempts.keys()]) this.recentAttempts(ip);
  }
}
