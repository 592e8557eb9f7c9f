// Opens the hub's SQLite database: one better-sqlite3 connection, with Prisma on top of it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../../generated/prisma/client';
import { SharedSqliteAdapterFactory } from './prisma-adapter';
import { INLINE_CHECKPOINT_PAGES, SqliteConnection } from './sqlite/connection';
import { WalCheckpointer } from './sqlite/wal-checkpointer';

export type Database = PrismaClient;

/**
 * Turns a DATABASE_URL into an absolute file path: `file:./data/x.db` (relative to the working
 * directory), `file:/abs/x.db` or `file:///abs/x.db`. Query parameters are ignored.
 */
export function databaseFileFromUrl(url: string): string {
  if (!url.startsWith('file:')) {
    // Only the scheme is echoed: the rest of a server URL may hold a password.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    throw new Error(
      `unsupported DATABASE_URL${scheme ? ` scheme "${scheme}:"` : ''}: only SQLite "file:" URLs are supported (PostgreSQL is not yet)`,
    );
  }
  const withoutQuery = url.split('?')[0] ?? '';
  const file = withoutQuery.startsWith('file://') ? fileURLToPath(withoutQuery) : withoutQuery.slice('file:'.length);
  if (file === '') throw new Error('DATABASE_URL "file:" names no file');
  return path.resolve(process.cwd(), file);
}

/**
 * Opens the hub's one SQLite connection and puts Prisma on top of it through our driver adapter
 * (prisma-adapter.ts), so Prisma and the raw task engine share the connection, its statement
 * cache and its lock. Migrations must have been applied first (src/server/db/migrate.ts).
 */
export async function openDatabase(databaseFile: string): Promise<{ prisma: PrismaClient; sql: SqliteConnection; checkpointer: WalCheckpointer | null; close(): Promise<void> }> {
  const sql = SqliteConnection.open(databaseFile);
  const checkpointer = await startCheckpointer(sql, path.resolve(databaseFile));
  const prisma = new PrismaClient({ adapter: new SharedSqliteAdapterFactory(sql) });
  try {
    await prisma.$connect();
  } catch (error) {
    await checkpointer?.stop();
    await sql.close();
    throw error;
  }
  return {
    prisma,
    sql,
    checkpointer,
    async close() {
      await checkpointer?.stop();
      await prisma.$disconnect();
      // Closing the last connection checkpoints what is left in the WAL.
      await sql.close();
    },
  };
}

/**
 * WAL checkpoints on a worker thread (wal-checkpointer.ts); if that thread cannot start or dies,
 * the connection checkpoints inline again, as SQLite does by default.
 */
async function startCheckpointer(sql: SqliteConnection, file: string): Promise<WalCheckpointer | null> {
  const inlineCheckpoints = () => {
    if (sql.isOpen) sql.database.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
  };
  try {
    const checkpointer = await WalCheckpointer.start(file, inlineCheckpoints);
    sql.database.pragma('wal_autocheckpoint = 0');
    return checkpointer;
  } catch {
    inlineCheckpoints();
    return null;
  }
}
