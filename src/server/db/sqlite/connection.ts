// The hub's ONE better-sqlite3 connection, shared by the raw-SQL task engine and Prisma (through
// our driver adapter, prisma-adapter.ts). Statements are prepared once and cached; every use goes
// through one ConnectionLock, so a raw transaction never runs inside an open Prisma transaction
// and vice versa. A second connection in this process could deadlock: its synchronous busy-wait
// would block the event loop that the first connection's open transaction needs to finish.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { ConnectionLock } from '../connection-lock';

const BUSY_TIMEOUT_MS = 5000;
/** WAL pages between checkpoints when the connection checkpoints itself. */
export const INLINE_CHECKPOINT_PAGES = 4000;
/** Distinct SQL texts kept prepared; Prisma's `IN (?, ?, …)` lists vary in length, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 1000;

export type Statement = Sqlite.Statement<unknown[], unknown>;

export class SqliteConnection {
  readonly lock = new ConnectionLock();
  private readonly statements = new Map<string, Statement>();
  private closed = false;

  private constructor(readonly database: Sqlite.Database) {}

  /** Opens the file (migrations must have been applied) and verifies the pragmas the hub relies on. */
  static open(databaseFile: string): SqliteConnection {
    const file = path.resolve(databaseFile);
    // better-sqlite3 would create an empty file, and every query would then fail with "no such table".
    if (!fs.existsSync(file)) throw new Error('database file not found (apply the migrations first)');
    const database = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      expectPragma(database, 'journal_mode = WAL', 'journal_mode', 'wal');
      expectPragma(database, 'foreign_keys = ON', 'foreign_keys', 1);
      expectPragma(database, `busy_timeout = ${BUSY_TIMEOUT_MS}`, 'busy_timeout', BUSY_TIMEOUT_MS);
      // NORMAL is durable in WAL mode except for the last transactions before a power cut, and much faster.
      expectPragma(database, 'synchronous = NORMAL', 'synchronous', 1);
      // When checkpoints run inline (no checkpointer thread, see wal-checkpointer.ts): every ~16 MB
      // instead of ~4 MB, since each syncs the database file, and hot pages are copied once.
      expectPragma(database, `wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`, 'wal_autocheckpoint', INLINE_CHECKPOINT_PAGES);
    } catch (error) {
      database.close();
      throw error;
    }
    return new SqliteConnection(database);
  }

  /** The prepared statement for this SQL text, prepared on first use. */
  statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) return statement;
    statement = this.database.prepare(sql) as Statement;
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  /** How many statements are cached (tests of the cache). */
  get cachedStatements(): number {
    return this.statements.size;
  }

  /**
   * Runs `work` in one synchronous IMMEDIATE transaction under the lock: all of it commits or
   * none of it. `afterCommit` runs right after the commit, still under the lock.
   */
  transaction<T>(work: () => T, afterCommit?: (result: T) => void): Promise<T> {
    return this.lock.run(() => {
      this.assertOpen();
      const result = this.database.transaction(work).immediate();
      afterCommit?.(result);
      return result;
    });
  }

  /** Runs synchronous reads under the lock (they never see another caller's uncommitted writes). */
  read<T>(work: () => T): Promise<T> {
    return this.lock.run(() => {
      this.assertOpen();
      return work();
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Waits for the current holder of the lock, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    const release = await this.lock.acquire();
    try {
      this.closed = true;
      this.statements.clear();
      this.database.close();
    } finally {
      release();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the database connection is closed');
  }
}

/** Sets a pragma, then reads it back: a pragma SQLite does not know is silently ignored. */
function expectPragma(database: Sqlite.Database, assignment: string, name: string, expected: string | number): void {
  database.pragma(assignment);
  const value = database.pragma(name, { simple: true });
  const actual = typeof expected === 'number' ? Number(value) : String(value).toLowerCase();
  if (actual !== expected) throw new Error(`database pragma ${name} is ${String(value)}, expected ${expected}`);
}

let lastSqlTimeMs = Number.NaN;
let lastSqlTimeText = '';

/** How the hub stores instants: Prisma's SQLite format (ISO 8601 with "+00:00"), so both readers agree. */
export function sqlTime(instant: Date): string {
  // A transaction formats the same instant for every row it writes: the last one is kept.
  const ms = instant.getTime();
  if (ms !== lastSqlTimeMs) {
    lastSqlTimeText = instant.toISOString().replace('Z', '+00:00');
    lastSqlTimeMs = ms;
  }
  return lastSqlTimeText;
}

/** Reads an instant written by Prisma or by sqlTime. */
export function fromSqlTime(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
