// Login failures per client IP: past the limit within the window, further attempts are
// refused (429 with Retry-After) until the oldest failure leaves the window. In-process, as in
// the spec; a restart forgets it.
import type { Clock } from '../clock';

export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfterSeconds(ip: string): number {
    const recent = this.recentFailures(ip);
    if (recent.length < this.maxFailures) return 0;
    const oldest = recent[recent.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock.now().getTime()) / 1000));
  }

  recordFailure(ip: string): void {
    const recent = this.recentFailures(ip);
    recent.push(this.clock.now().getTime());
    this.failures.set(ip, recent);
    if (this.failures.size > 10_000) this.forgetExpired();
  }

  private recentFailures(ip: string): number[] {
    const cutoff = this.clock.now().getTime() - this.windowMs;
    const recent = (this.failures.get(ip) ?? []).filter((time) => time > cutoff);
    if (recent.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, recent);
    return recent;
  }

  private forgetExpired(): void {
    for (const ip of [...this.failures.keys()]) this.recentFailures(ip);
  }
}
