// Opens the hub's SQLite database through Prisma's better-sqlite3 driver adapter, with the pragmas the hub relies on.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client';

export type Database = PrismaClient;

const BUSY_TIMEOUT_MS = 5000;

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
 * Connects Prisma to the file and verifies the connection's pragmas. Migrations must have been
 * applied first (src/server/db/migrate.ts). The adapter keeps one connection for the client's
 * lifetime, so per-connection pragmas set here hold for every query.
 */
export async function openDatabase(databaseFile: string): Promise<{ prisma: PrismaClient; close(): Promise<void> }> {
  const file = path.resolve(databaseFile);
  // better-sqlite3 would create an empty file, and every query would then fail with "no such table".
  if (!fs.existsSync(file)) throw new Error(`database file not found: ${file} (apply the migrations first)`);
  // `timeout` is better-sqlite3's busy timeout; the pragma below states the same value explicitly.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: BUSY_TIMEOUT_MS });
  const prisma = new PrismaClient({ adapter });
  try {
    await prisma.$connect();
    await expectPragma(prisma, 'journal_mode = WAL', 'journal_mode', 'wal');
    await expectPragma(prisma, 'foreign_keys = ON', 'foreign_keys', 1);
    await expectPragma(prisma, `busy_timeout = ${BUSY_TIMEOUT_MS}`, 'busy_timeout', BUSY_TIMEOUT_MS);
    // NORMAL is durable in WAL mode except for the last transactions before a power cut, and much faster.
    await expectPragma(prisma, 'synchronous = NORMAL', 'synchronous', 1);
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  }
  return {
    prisma,
    close: () => prisma.$disconnect(),
  };
}

/** Sets a pragma, then reads it back: a pragma SQLite does not know is silently ignored. */
async function expectPragma(prisma: PrismaClient, assignment: string, name: string, expected: string | number): Promise<void> {
  await prisma.$queryRawUnsafe(`PRAGMA ${assignment}`);
  const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
  const value = rows[0] ? Object.values(rows[0])[0] : undefined;
  const actual = typeof expected === 'number' ? Number(value) : String(value).toLowerCase();
  if (actual !== expected) throw new Error(`database pragma ${name} is ${String(value)}, expected ${expected}`);
}
