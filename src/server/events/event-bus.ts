// The one typed event bus. Every event is written to the event log table (its id is the
// table's monotonic id), kept in an in-memory ring buffer that caches the log's tail, and
// offered to each subscriber's bounded queue. Resume after a reconnect (or a hub restart)
// reads the ring, or the table when the ring no longer reaches back far enough.
import type { EventPayloads, EventScope, EventType, MeshEvent } from '@/lib/events';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { Subscription } from './subscription';

export interface StoredEvent<TType extends EventType = EventType> extends MeshEvent<TType> {
  scope: EventScope;
  /** Size of the payload's JSON, for the ring buffer's byte budget. */
  bytes: number;
}

export interface EventBusOptions {
  db: Database;
  clock: Clock;
  ringSize?: number;
  /** The ring also stays under this many payload bytes (stream chunks can be 64 KB each). */
  ringBytes?: number;
  queueCapacity: number;
}

export class EventBus {
  private readonly ring: StoredEvent[] = [];
  private readonly ringSize: number;
  private readonly ringBytesLimit: number;
  private ringBytes = 0;
  private readonly subscriptions = new Set<Subscription>();
  /** Publishes are chained so ids reach subscribers in order. */
  private publishChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EventBusOptions) {
    this.ringSize = options.ringSize ?? 2_000;
    this.ringBytesLimit = options.ringBytes ?? 16 * 1024 * 1024;
  }

  /** Record an event and deliver it. Call after the state change it describes has committed. */
  publish<TType extends EventType>(type: TType, payload: EventPayloads[TType], scope: EventScope): Promise<StoredEvent<TType>> {
    const run = async () => {
      const ts = this.options.clock.now();
      const json = JSON.stringify(payload);
      const row = await this.options.db.eventLog.create({
        data: { type, ts, permission: scope.permission, agentId: scope.agentId ?? null, payload: json },
        select: { id: true },
      });
      const event: StoredEvent<TType> = { id: row.id, type, ts: ts.toISOString(), payload, scope, bytes: json.length };
      this.remember(event);
      for (const subscription of this.subscriptions) subscription.offer(event);
      return event;
    };
    const result = this.publishChain.then(run, run);
    this.publishChain = result.catch(() => undefined);
    return result;
  }

  /**
   * Start a subscription. With `afterId`, events after that id are replayed first (from the
   * ring, else the event log); if history no longer reaches back, the subscriber gets `resync`.
   */
  async subscribe(filter: (event: StoredEvent) => boolean, afterId?: number): Promise<Subscription> {
    const subscription = new Subscription(
      (event) => filter(event as StoredEvent),
      this.options.queueCapacity,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    if (afterId !== undefined) {
      const { events, gap } = await this.eventsAfter(afterId);
      subscription.prependBacklog(events, gap);
    }
    return subscription;
  }

  stats(): { subscribers: number; queued: number[]; dropped: number[]; ringSize: number } {
    const list = [...this.subscriptions];
    return {
      subscribers: list.length,
      queued: list.map((subscription) => subscription.queued),
      dropped: list.map((subscription) => subscription.dropped),
      ringSize: this.ring.length,
    };
  }

  /** Ends every open stream (shutdown). */
  closeAll(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  /** Retention: deletes logged events older than the cutoff. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.options.db.eventLog.deleteMany({ where: { ts: { lt: cutoff } } });
    return result.count;
  }

  private remember(event: StoredEvent): void {
    this.ring.push(event);
    this.ringBytes += event.bytes;
    while (this.ring.length > this.ringSize || (this.ringBytes > this.ringBytesLimit && this.ring.length > 1)) {
      this.ringBytes -= this.ring.shift()!.bytes;
    }
  }

  private async eventsAfter(afterId: number): Promise<{ events: StoredEvent[]; gap: boolean }> {
    const oldestInRing = this.ring[0];
    if (oldestInRing && oldestInRing.id <= afterId + 1) {
      return { events: this.ring.filter((event) => event.id > afterId), gap: false };
    }
    const limit = this.ringSize;
    const rows = await this.options.db.eventLog.findMany({
      where: { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit + 1,
    });
    const first = rows[0];
    const oldestKept = await this.options.db.eventLog.findFirst({ orderBy: { id: 'asc' }, select: { id: true } });
    // A gap: events between afterId and the oldest kept row were deleted by retention, or
    // more were missed than one replay returns.
    const gap = rows.length > limit || (first !== undefined && oldestKept !== null && oldestKept.id > afterId + 1);
    return {
      events: rows.slice(0, limit).map((row) => ({
        id: row.id,
        type: row.type as EventType,
        ts: row.ts.toISOString(),
        payload: JSON.parse(row.payload) as never,
        scope: { permission: row.permission as EventScope['permission'], agentId: row.agentId },
        bytes: row.payload.length,
      })),
      gap,
    };
  }
}
