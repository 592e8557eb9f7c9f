// Requests per client within a sliding window (the public demo's 30 per minute per IP). Each
// allowed request is recorded; past the limit a request is refused with the seconds until the
// oldest recorded one leaves the window. In-process and on the hub's clock, so tests move time.
import type { Clock } from '../clock';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** Seconds to wait when refused; 0 when allowed. */
  retryAfterSeconds: number;
}

/** Clients tracked before expired entries are swept (bounds memory under many distinct IPs). */
const SWEEP_ABOVE_CLIENTS = 10_000;

export class RequestRateLimiter {
  private readonly requests = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxRequests: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request from `client` when it is within the limit. */
  take(client: string): RateDecision {
    const now = this.clock.now().getTime();
    const recent = this.recent(client, now);
    if (recent.length >= this.maxRequests) {
      const oldest = recent[recent.length - this.maxRequests]!;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
      return { allowed: false, limit: this.maxRequests, remaining: 0, retryAfterSeconds };
    }
    recent.push(now);
    this.requests.set(client, recent);
    if (this.requests.size > SWEEP_ABOVE_CLIENTS) this.forgetExpired(now);
    return { allowed: true, limit: this.maxRequests, remaining: this.maxRequests - recent.length, retryAfterSeconds: 0 };
  }

  private recent(client: string, now: number): number[] {
    const cutoff = now - this.windowMs;
    const recent = (this.requests.get(client) ?? []).filter((time) => time > cutoff);
    if (recent.length === 0) this.requests.delete(client);
    return recent;
  }

  private forgetExpired(now: number): void {
    for (const client of [...this.requests.keys()]) {
      const recent = this.recent(client, now);
      if (recent.length > 0) this.requests.set(client, recent);
    }
  }
}
