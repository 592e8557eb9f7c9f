// When the live event stream last heard from the hub. The hub sends an SSE keepalive every
// SSE_KEEPALIVE_MS (src/lib/events.ts); an EventSource that hears nothing — no event, no
// keepalive — for STREAM_STALE_AFTER_MS is treated as dead, whatever the socket claims (a cut
// network often leaves a connection "open" that will never deliver again).
'use client';

/**
 * Two keepalives (SSE_KEEPALIVE_MS, 1 s) missed, plus slack: the header says offline about 3 s
 * after the cut, leaving ~2 s of the promised 5 s for a busy browser's late timers.
 */
export const STREAM_STALE_AFTER_MS = 3_000;

export class StreamHealth {
  /** Epoch ms of the last sign of life (an event, a keepalive, the connected handshake); 0: none yet. */
  lastSeenAt = 0;
  private readonly listeners = new Set<() => void>();

  touch(): void {
    this.lastSeenAt = Date.now();
    for (const listener of this.listeners) listener();
  }

  isStale(now = Date.now()): boolean {
    return this.lastSeenAt === 0 || now - this.lastSeenAt > STREAM_STALE_AFTER_MS;
  }

  onTouch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The SSE event types tRPC's stream uses: each counts as a sign of life. */
const LIFE_SIGNS = ['connected', 'ping', 'message'];

/**
 * An EventSource that reports every sign of life to `health` (tRPC's subscription link takes an
 * EventSource class; its own keepalive handling is not visible to the app).
 */
export function watchedEventSource(health: StreamHealth): typeof EventSource {
  return class WatchedEventSource extends EventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      for (const type of LIFE_SIGNS) this.addEventListener(type, () => health.touch());
    }
  };
}
