// The event log table in raw SQL: append (inside the caller's transaction), read after an id
// (stream resume), and retention. Used by the event bus; the only writer of event_log.
import type { EventScope, EventType } from '@/lib/events';
import { sqlTime, type SqliteConnection } from './connection';

export interface EventLogRow {
  id: number;
  type: EventType;
  ts: string;
  permission: EventScope['permission'];
  agentId: string | null;
  payload: string;
}

export interface EventHistoryFilter {
  beforeId: number | null;
  permissions: readonly string[];
  agentId: string | null;
  types?: readonly string[];
  text?: string;
  limit: number;
}

export class SqliteEventLog {
  constructor(private readonly connection: SqliteConnection) {}

  /** Inserts one event row; call inside a transaction. Returns its id (monotonic). */
  append(type: EventType, ts: Date, scope: EventScope, payloadJson: string): number {
    const result = this.connection
      .statement('INSERT INTO event_log (type, ts, permission, agent_id, payload) VALUES (?, ?, ?, ?, ?)')
      .run(type, sqlTime(ts), scope.permission, scope.agentId ?? null, payloadJson);
    return Number(result.lastInsertRowid);
  }

  /** Up to `limit` events after `afterId`, oldest first, and the oldest id the log still keeps. */
  after(afterId: number, limit: number): Promise<{ rows: EventLogRow[]; oldestId: number | null }> {
    return this.connection.read(() => {
      const rows = this.connection
        .statement('SELECT id, type, ts, permission, agent_id AS agentId, payload FROM event_log WHERE id > ? ORDER BY id LIMIT ?')
        .all(afterId, limit) as EventLogRow[];
      const oldest = this.connection.statement('SELECT MIN(id) AS id FROM event_log').get() as { id: number | null };
      return { rows, oldestId: oldest.id };
    });
  }

  /**
   * A page of history, newest first: events before `beforeId` (all when null) that the filter
   * lets through. `permissions` are those the reader holds; `agentId` limits agent-scoped events
   * to that agent's (events for no agent always pass). `text` matches the type or the payload.
   */
  before(filter: EventHistoryFilter): Promise<EventLogRow[]> {
    const text = filter.text ? `%${filter.text.replace(/[\\%_]/g, (match) => `\\${match}`)}%` : null;
    const types = filter.types && filter.types.length > 0 ? JSON.stringify(filter.types) : null;
    return this.connection.read(
      () =>
        this.connection
          .statement(
            `SELECT id, type, ts, permission, agent_id AS agentId, payload FROM event_log
             WHERE (? IS NULL OR id < ?)
               AND permission IN (SELECT value FROM json_each(?))
               AND (? IS NULL OR agent_id IS NULL OR agent_id = ?)
               AND (? IS NULL OR type IN (SELECT value FROM json_each(?)))
               AND (? IS NULL OR payload LIKE ? ESCAPE '\\' OR type LIKE ? ESCAPE '\\')
             ORDER BY id DESC LIMIT ?`,
          )
          .all(filter.beforeId, filter.beforeId, JSON.stringify(filter.permissions), filter.agentId, filter.agentId, types, types, text, text, text, filter.limit) as EventLogRow[],
    );
  }

  /** The newest event id (0 when the log is empty). */
  latestId(): Promise<number> {
    return this.connection.read(() => (this.connection.statement('SELECT MAX(id) AS id FROM event_log').get() as { id: number | null }).id ?? 0);
  }

  /** Retention: deletes events older than the cutoff, in bounded batches so the lock is never held long. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.connection.transaction(
        () => this.connection.statement('DELETE FROM event_log WHERE id IN (SELECT id FROM event_log WHERE ts < ? ORDER BY id LIMIT 5000)').run(sqlTime(cutoff)).changes,
      );
      total += deleted;
      if (deleted < 5000) return total;
    }
  }
}
