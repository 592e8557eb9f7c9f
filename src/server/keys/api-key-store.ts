// The per-request side of API keys, as raw SQL on the shared connection: look the key up by its
// SHA-256, check it against its daily cap and per-minute limit, and count the request, all in one
// synchronous transaction (so two concurrent requests cannot both take the last unit of the cap).
// The daily count is a column (survives restarts); the per-minute window is in memory.
import { digestsEqual } from '../auth/tokens';
import type { Clock } from '../clock';
import { sqlTime, type SqliteConnection } from '../db/sqlite/connection';

interface StoredApiKey {
  id: string;
  keyHash: string;
  name: string;
  permissions: string;
  rateLimit: number;
  dailyCap: number;
  usageToday: number;
  usageDay: string;
  revokedAt: string | null;
}

export type ApiKeyUse =
  | { outcome: 'unknown' }
  | { outcome: 'accepted'; key: { id: string; name: string; permissions: string } }
  | { outcome: 'over_minute_limit'; limit: number; retryAfterSeconds: number }
  | { outcome: 'over_daily_cap'; limit: number; retryAfterSeconds: number };

/** The UTC day an instant falls in, as the `usage_day` column holds it. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Seconds from `instant` to the next UTC midnight (at least 1). */
export function secondsToNextUtcDay(instant: Date): number {
  const next = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - instant.getTime()) / 1000));
}

export class SqliteApiKeyStore {
  /** Per key, the accepted requests of the last minute. */
  private readonly minuteWindows = new Map<string, MinuteWindow>();

  constructor(
    private readonly connection: SqliteConnection,
    private readonly clock: Clock,
  ) {}

  /** Counts one request with the key whose SHA-256 is `keyHash`, or says why it is refused. */
  use(keyHash: string): Promise<ApiKeyUse> {
    return this.connection.transaction((): ApiKeyUse => {
      const row = this.connection
        .statement(
          `SELECT id, key_hash AS keyHash, name, permissions, rate_limit AS rateLimit, daily_cap AS dailyCap,
                  usage_today AS usageToday, usage_day AS usageDay, revoked_at AS revokedAt
           FROM api_keys WHERE key_hash = ?`,
        )
        .get(keyHash) as StoredApiKey | undefined;
      if (!row || row.revokedAt !== null || !digestsEqual(row.keyHash, keyHash)) return { outcome: 'unknown' };
      const now = this.clock.now();
      const day = utcDay(now);
      const usedToday = row.usageDay === day ? row.usageToday : 0;
      if (usedToday >= row.dailyCap) return { outcome: 'over_daily_cap', limit: row.dailyCap, retryAfterSeconds: secondsToNextUtcDay(now) };
      const retryAfterSeconds = this.minuteWindow(row.id).take(now.getTime(), row.rateLimit);
      if (retryAfterSeconds > 0) return { outcome: 'over_minute_limit', limit: row.rateLimit, retryAfterSeconds };
      this.connection
        .statement('UPDATE api_keys SET usage_today = ?, usage_day = ?, usage_total = usage_total + 1, last_used_at = ? WHERE id = ?')
        .run(usedToday + 1, day, sqlTime(now), row.id);
      return { outcome: 'accepted', key: { id: row.id, name: row.name, permissions: row.permissions } };
    });
  }

  /** Forgets a revoked key's window. */
  forget(keyId: string): void {
    this.minuteWindows.delete(keyId);
  }

  private minuteWindow(keyId: string): MinuteWindow {
    let window = this.minuteWindows.get(keyId);
    if (!window) {
      window = new MinuteWindow();
      this.minuteWindows.set(keyId, window);
    }
    return window;
  }
}

/**
 * A sliding one-minute window of request times, oldest first. Expired times are dropped from the
 * front by moving an index (compacted now and then), so a take is O(1) amortised even for a key
 * allowed thousands of requests a minute (the generic RequestRateLimiter filters its whole list).
 */
class MinuteWindow {
  private times: number[] = [];
  private head = 0;

  /** Records a request at `now` within `limit` per minute and returns 0, or returns the seconds to wait. */
  take(now: number, limit: number): number {
    const cutoff = now - 60_000;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    const count = this.times.length - this.head;
    if (count >= limit) {
      const oldestCounted = this.times[this.times.length - limit]!;
      return Math.max(1, Math.ceil((oldestCounted + 60_000 - now) / 1000));
    }
    this.times.push(now);
    return 0;
  }
}
