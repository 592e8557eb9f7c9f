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
