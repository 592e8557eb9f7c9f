// One subscriber's bounded queue. A reader that falls behind loses its oldest events and
// receives a `resync` marker, so a stalled client can never grow the hub's memory. A
// subscription ended by the hub (`end`) sends one last marker saying why, then finishes.
import type { EventPayloads, MeshEvent, StreamItem } from '@/lib/events';

export type ResyncReason = EventPayloads['resync']['reason'];
export type ResyncMarker = { id: 0; type: 'resync'; ts: string; payload: { reason: ResyncReason } };

export class Subscription {
  private queue: MeshEvent[] = [];
  private resyncReason: ResyncReason | null = null;
  private wake: (() => void) | null = null;
  private closed = false;
  /** Set by end(): the next marker is the last item. */
  private ending = false;
  /** Events dropped because the reader was too slow (for stats and tests). */
  dropped = 0;

  constructor(
    readonly filter: (event: MeshEvent) => boolean,
    private readonly capacity: number,
    private readonly onClose: (subscription: Subscription) => void,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called by the bus for each live event, in id order. */
  offer(event: MeshEvent): void {
    if (this.closed || this.ending || !this.filter(event)) return;
    this.queue.push(event);
    this.trim();
    this.wake?.();
  }

  /**
   * Puts missed events (loaded after this subscription started receiving live ones) in front
   * of the live queue, without duplicates.
   */
  prependBacklog(backlog: MeshEvent[], gap: boolean): void {
    if (this.closed || this.ending) return;
    const firstLiveId = this.queue[0]?.id ?? Number.POSITIVE_INFINITY;
    const missed = backlog.filter((event) => event.id < firstLiveId && this.filter(event));
    this.queue = [...missed, ...this.queue];
    if (gap) this.resyncReason = 'history_gap';
    this.trim();
    this.wake?.();
  }

  markResync(reason: ResyncReason): void {
    if (this.ending) return;
    this.resyncReason = reason;
    this.wake?.();
  }

  /**
   * Ends the stream from the hub's side: queued events are dropped, the reader gets one final
   * `resync` marker with the reason, and then its iterator finishes (the SSE stream ends).
   */
  end(reason: ResyncReason): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.queue = [];
    this.resyncReason = reason;
    this.wake?.();
  }

  get isEnding(): boolean {
    return this.ending;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.wake?.();
    this.onClose(this);
  }

  async *items(signal?: AbortSignal): AsyncGenerator<StreamItem | ResyncMarker> {
    const onAbort = () => this.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!this.closed) {
        if (this.resyncReason) {
          const reason = this.resyncReason;
          this.resyncReason = null;
          yield { id: 0, type: 'resync', ts: new Date().toISOString(), payload: { reason } };
          if (this.ending) break;
          continue;
        }
        const next = this.queue.shift();
        if (next) {
          yield next as StreamItem;
          continue;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.close();
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.capacity;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.dropped += excess;
      this.resyncReason = 'queue_overflow';
    }
  }
}
