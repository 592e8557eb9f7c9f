// The one typed event bus. An event row is written in the same transaction as the state change
// it describes (`transact`); subscribers hear it after the commit, in id order. The in-memory ring
// buffer caches the log's tail; each subscriber has a bounded queue. Resume after a reconnect (or
// a hub restart) reads the ring, or the event log when the ring no longer reaches back far enough.
import type { EventPayloads, EventScope, EventType, MeshEvent } from '@/lib/events';
import type { Clock } from '../clock';
import type { SqliteConnection } from '../db/sqlite/connection';
import { SqliteEventLog, type EventHistoryFilter, type EventLogRow } from '../db/sqlite/event-log';
import { Subscription } from './subscription';

export interface StoredEvent<TType extends EventType = EventType> extends MeshEvent<TType> {
  scope: EventScope;
  /** Size of the payload's JSON, for the ring buffer's byte budget. */
  bytes: number;
}

/** What a state change can do inside its transaction besides writing rows. */
export interface EventTransaction {
  /** Writes the event row now; the event reaches subscribers only if and after the transaction commits. */
  emit<TType extends EventType>(type: TType, payload: EventPayloads[TType], scope: EventScope): StoredEvent<TType>;
  /** Runs after the commit, before the events are delivered (in-memory bookkeeping that must follow the data). */
  afterCommit(action: () => void): void;
  /**
   * Runs part of the transaction under a savepoint: if it throws, its rows, events and
   * after-commit actions are undone and the error is rethrown; the rest of the transaction goes on.
   */
  savepoint<T>(work: () => T): T;
}

/**
 * What the bus delivers live events to: a pull Subscription (events.stream over tRPC) or an
 * SseSubscriber writing GET /api/stream straight onto its socket.
 */
export interface EventSubscriber {
  /** Called synchronously for each committed event, in id order; the subscriber filters. */
  offer(event: StoredEvent): void;
  readonly queued: number;
  /** Events lost by falling behind. */
  readonly dropped: number;
  close(): void;
}

export interface EventBusOptions {
  connection: SqliteConnection;
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
  private readonly subscriptions = new Set<EventSubscriber>();
  /** The hub's own subscriptions (plugin hooks): delivered to like any, left out of stats' client counts. */
  private readonly internal = new WeakSet<EventSubscriber>();
  /** In-process listeners of every committed event (metrics); not stream subscribers. */
  private readonly observers: ((event: StoredEvent) => void)[] = [];
  /** Events dropped by subscribers that have since closed (live ones count their own). */
  private droppedByClosed = 0;
  private readonly log: SqliteEventLog;

  constructor(private readonly options: EventBusOptions) {
    this.ringSize = options.ringSize ?? 2_000;
    this.ringBytesLimit = options.ringBytes ?? 16 * 1024 * 1024;
    this.log = new SqliteEventLog(options.connection);
  }

  /**
   * Runs `work` in one transaction of the shared connection. Events it emits are written with
   * its rows and delivered after the commit; if it throws, nothing is written or delivered.
   */
  transact<T>(work: (tx: EventTransaction) => T): Promise<T> {
    let pending: StoredEvent[] = [];
    let actions: (() => void)[] = [];
    const tx: EventTransaction = {
      emit: (type, payload, scope) => {
        const ts = this.options.clock.now();
        const json = JSON.stringify(payload);
        const id = this.log.append(type, ts, scope, json);
        const event = { id, type, ts: ts.toISOString(), payload, scope, bytes: json.length };
        pending.push(event as StoredEvent);
        return event;
      },
      afterCommit: (action) => actions.push(action),
      savepoint: (work) => {
        const eventsBefore = pending.length;
        const actionsBefore = actions.length;
        try {
          // A transaction function called inside a transaction runs as a SAVEPOINT in better-sqlite3.
          return this.options.connection.database.transaction(work)();
        } catch (error) {
          pending.length = eventsBefore;
          actions.length = actionsBefore;
          throw error;
        }
      },
    };
    return this.options.connection.transaction(
      () => {
        // A retried or failed attempt of the work must not deliver the events of a rolled-back one.
        pending = [];
        actions = [];
        return work(tx);
      },
      () => {
        for (const action of actions) action();
        for (const event of pending) this.deliver(event);
      },
    );
  }

  /** Record one event on its own (a change made elsewhere, e.g. through Prisma, has committed). */
  async publish<TType extends EventType>(type: TType, payload: EventPayloads[TType], scope: EventScope): Promise<StoredEvent<TType>> {
    return this.transact((tx) => tx.emit(type, payload, scope));
  }

  /**
   * Start a subscription. With `afterId`, events after that id are replayed first (from the
   * ring, else the event log); if history no longer reaches back, the subscriber gets `resync`.
   */
  async subscribe(filter: (event: StoredEvent) => boolean, afterId?: number, options: { internal?: boolean } = {}): Promise<Subscription> {
    const subscription = new Subscription(
      (event) => filter(event as StoredEvent),
      this.options.queueCapacity,
      (closed) => this.detach(closed),
    );
    this.subscriptions.add(subscription);
    if (options.internal) this.internal.add(subscription);
    if (afterId !== undefined) {
      const { events, gap } = await this.eventsAfter(afterId);
      subscription.prependBacklog(events, gap);
    }
    return subscription;
  }

  /**
   * Adds a subscriber that receives every live event from now on (it filters itself); it calls
   * detach when it closes. Missed events are the caller's to load (eventsAfter) and merge.
   */
  attach(subscriber: EventSubscriber): void {
    this.subscriptions.add(subscriber);
  }

  /** Calls `listener` synchronously with every committed event, in id order (it must be cheap and not throw). */
  observe(listener: (event: StoredEvent) => void): void {
    this.observers.push(listener);
  }

  detach(subscriber: EventSubscriber): void {
    if (this.subscriptions.delete(subscriber) && !this.internal.has(subscriber)) this.droppedByClosed += subscriber.dropped;
  }

  stats(): { subscribers: number; queued: number[]; dropped: number[]; droppedTotal: number; ringSize: number } {
    const list = [...this.subscriptions].filter((subscription) => !this.internal.has(subscription));
    const dropped = list.map((subscription) => subscription.dropped);
    return {
      subscribers: list.length,
      queued: list.map((subscription) => subscription.queued),
      dropped,
      droppedTotal: this.droppedByClosed + dropped.reduce((sum, count) => sum + count, 0),
      ringSize: this.ring.length,
    };
  }

  /** Ends every open stream (shutdown). */
  closeAll(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  /** Retention: deletes logged events older than the cutoff. */
  deleteOlderThan(cutoff: Date): Promise<number> {
    return this.log.deleteOlderThan(cutoff);
  }

  private deliver(event: StoredEvent): void {
    this.ring.push(event);
    this.ringBytes += event.bytes;
    while (this.ring.length > this.ringSize || (this.ringBytes > this.ringBytesLimit && this.ring.length > 1)) {
      this.ringBytes -= this.ring.shift()!.bytes;
    }
    for (const observer of this.observers) observer(event);
    for (const subscription of this.subscriptions) subscription.offer(event);
  }

  /** Events after `afterId` (the ring, else the event log); `gap` when history no longer reaches back. */
  async eventsAfter(afterId: number): Promise<{ events: StoredEvent[]; gap: boolean }> {
    const oldestInRing = this.ring[0];
    if (oldestInRing && oldestInRing.id <= afterId + 1) {
      return { events: this.ring.filter((event) => event.id > afterId), gap: false };
    }
    const limit = this.ringSize;
    const { rows, oldestId } = await this.log.after(afterId, limit + 1);
    // A gap: events between afterId and the oldest kept row were deleted by retention, or
    // more were missed than one replay returns.
    const gap = rows.length > limit || (rows.length > 0 && oldestId !== null && oldestId > afterId + 1);
    return {
      events: rows.slice(0, limit).map(storedEvent),
      gap,
    };
  }

  /** A page of the event log, newest first (the Logs page's history, paged backwards by id). */
  async history(filter: EventHistoryFilter): Promise<StoredEvent[]> {
    return (await this.log.before(filter)).map(storedEvent);
  }
}

function storedEvent(row: EventLogRow): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    ts: new Date(row.ts).toISOString(),
    payload: JSON.parse(row.payload) as never,
    scope: { permission: row.permission, agentId: row.agentId },
    bytes: row.payload.length,
  } as StoredEvent;
}
