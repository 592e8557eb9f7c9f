// The stream watchdog's clock: stale until the first sign of life, fresh after one, stale again
// once STREAM_STALE_AFTER_MS pass in silence.
import { describe, expect, it } from 'vitest';
import { SSE_KEEPALIVE_MS } from '@/lib/events';
import { STREAM_STALE_AFTER_MS, StreamHealth } from './stream-health';

describe('StreamHealth', () => {
  it('is stale before any sign of life and after a silence longer than two keepalives', () => {
    const health = new StreamHealth();
    expect(health.isStale()).toBe(true);
    health.touch();
    const seen = health.lastSeenAt;
    expect(health.isStale(seen + SSE_KEEPALIVE_MS)).toBe(false);
    expect(health.isStale(seen + STREAM_STALE_AFTER_MS + 1)).toBe(true);
    expect(STREAM_STALE_AFTER_MS).toBeGreaterThan(2 * SSE_KEEPALIVE_MS);
    expect(STREAM_STALE_AFTER_MS).toBeLessThan(5_000);
  });

  it('tells listeners of each sign of life', () => {
    const health = new StreamHealth();
    let heard = 0;
    const stop = health.onTouch(() => (heard += 1));
    health.touch();
    health.touch();
    stop();
    health.touch();
    expect(heard).toBe(2);
  });
});
