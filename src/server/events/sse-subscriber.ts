// One GET /api/stream subscriber, written straight onto Node's ServerResponse: no async iterator,
// no web streams, no per-subscriber serialisation (frames are cached per event, sse-frames.ts).
// The bus offers each live event synchronously; while the socket accepts writes the frame goes
// out at once. When write() returns false the subscriber queues (up to its cap) until 'drain';
// a reader more than the cap behind is dropped with a final `event: overflow` (it resumes from its
// Last-Event-ID when it is ready), so a stalled client can never grow the hub's memory.
import type { ServerResponse } from 'node:http';
import type { MeshEvent } from '@/lib/events';
import type { Clock } from '../clock';
import type { EventSubscriber } from './event-bus';
import { eventFrame, KEEPALIVE_FRAME, overflowFrame, resyncFrame } from './sse-frames';
import type { ResyncReason } from './subscription';

export interface SseSubscriberOptions {
  response: ServerResponse;
  filter: (event: MeshEvent) => boolean;
  /** Events held while the socket is full; one more and the subscriber is dropped. */
  capacity: number;
  clock: Clock;
  keepaliveMs: number;
  /** Called once when the subscriber is closed (client gone, dropped, ended, shutdown). */
  onClose: (subscriber: SseSubscriber) => void;
}

/** How long a dropped subscriber's last frame may wait for a reader that does not read. */
const FINAL_FRAME_GRACE_MS = 5_000;

export class SseSubscriber implements EventSubscriber {
  private queue: MeshEvent[] = [];
  /** Until begin(): live events queue while the missed ones are loaded. */
  private started = false;
  /** write() returned false; waiting for 'drain'. */
  private blocked = false;
  private closed = false;
  private ending = false;
  private readonly keepalive: NodeJS.Timeout;
  /** Events this subscriber lost by falling behind (for metrics and tests). */
  dropped = 0;

  constructor(private readonly options: SseSubscriberOptions) {
    this.keepalive = setInterval(() => {
      if (!this.blocked && !this.closed) this.options.response.write(KEEPALIVE_FRAME);
    }, options.keepaliveMs);
    this.keepalive.unref();
  }

  get queued(): number {
    return this.queue.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isEnding(): boolean {
    return this.ending;
  }

  /** Called by the bus for each live event, in id order. */
  offer(event: MeshEvent): void {
    if (this.closed || this.ending || !this.options.filter(event)) return;
    if (this.started && !this.blocked && this.queue.length === 0) {
      this.write(eventFrame(event));
      return;
    }
    if (this.queue.length >= this.options.capacity) {
      this.overflow();
      return;
    }
    this.queue.push(event);
  }

  /**
   * Starts writing: first the events missed since the client's Last-Event-ID (loaded after this
   * subscriber began receiving live ones, so without duplicates), or a `resync` when history no
   * longer reaches back; then what queued meanwhile.
   */
  begin(backlog: MeshEvent[], gap: boolean): void {
    if (this.closed || this.ending) return;
    if (gap) this.write(resyncFrame('history_gap', this.options.clock.now()));
    const firstLiveId = this.queue[0]?.id ?? Number.POSITIVE_INFINITY;
    const missed = backlog.filter((event) => event.id < firstLiveId && this.options.filter(event));
    if (missed.length > 0) this.queue = [...missed, ...this.queue];
    this.started = true;
    this.flush();
  }

  /** Ends the stream from the hub's side with a final `resync` naming the reason (e.g. stream_limit). */
  end(reason: ResyncReason): void {
    if (this.closed || this.ending) return;
    this.dropped += this.queue.length;
    this.finish(resyncFrame(reason, this.options.clock.now()));
  }

  /** Leaves the bus and ends the response (a no-op for one the client already closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    clearInterval(this.keepalive);
    this.options.response.off('drain', this.onDrain);
    if (!this.options.response.writableEnded) this.options.response.end();
    this.options.onClose(this);
  }

  private write(frame: string): void {
    if (!this.options.response.write(frame) && !this.blocked) {
      this.blocked = true;
      this.options.response.once('drain', this.onDrain);
    }
  }

  private readonly onDrain = () => {
    this.blocked = false;
    this.flush();
  };

  private flush(): void {
    let index = 0;
    while (index < this.queue.length && !this.blocked && !this.closed) this.write(eventFrame(this.queue[index++]!));
    this.queue = index >= this.queue.length ? [] : this.queue.slice(index);
  }

  private overflow(): void {
    this.dropped += this.queue.length + 1;
    this.finish(overflowFrame(this.dropped, this.options.clock.now()));
  }

  /** Writes one last frame, ends the response and leaves the bus; a reader that never takes it is cut after a grace. */
  private finish(lastFrame: string): void {
    this.ending = true;
    this.queue = [];
    const { response } = this.options;
    response.end(lastFrame);
    const cut = setTimeout(() => response.destroy(), FINAL_FRAME_GRACE_MS);
    cut.unref();
    response.once('close', () => clearTimeout(cut));
    this.close();
  }
}
