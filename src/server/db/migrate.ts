// Applies pending prisma/migrations/*/migration.sql files at hub start, recording them like `prisma migrate deploy`.
//
// The real schema engine is not available offline, so the hub runs this small runner instead. It keeps
// Prisma's `_prisma_migrations` table (same columns, sha256 checksums, millisecond timestamps as Prisma's
// SQLite connector writes them), so `prisma migrate deploy` / `migrate status` agree with it on machines
// that do have the engine. Each migration runs in one transaction, so a migration file must not
// contain BEGIN/COMMIT or statements SQLite refuses inside a transaction (VACUUM, journal_mode).
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';

const MIGRATIONS_TABLE = '_prisma_migrations';

// Verbatim from Prisma's SQLite connector, so the table is the one Prisma would have created.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  /** The folder name, e.g. `20250101120000_init`. */
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: number | string | null;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** prisma/migrations under the project root (the working directory unless given). */
export function defaultMigrationsDir(projectRoot: string = process.cwd()): string {
  return path.resolve(projectRoot, 'prisma', 'migrations');
}

/** sha256 hex of the file content, as Prisma stores it. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Like Prisma, accept a file whose line endings git has converted since it was applied. */
function checksumMatches(sql: string, checksum: string): boolean {
  return [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n')].some(
    (variant) => migrationChecksum(variant) === checksum,
  );
}

/** The migration folders in the order Prisma applies them (lexical, i.e. by timestamp prefix). */
export function listMigrations(migrationsDir: string): MigrationFile[] {
  if (!fs.existsSync(migrationsDir)) throw new MigrationError(`migrations directory not found: ${migrationsDir}`);
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (!fs.existsSync(file)) throw new MigrationError(`migration "${name}" has no migration.sql`);
      const sql = fs.readFileSync(file, 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

/**
 * Brings the database file up to date with the migrations directory. Creates the file (and its
 * directory) when missing, switches it to WAL, and refuses to start when history and files disagree.
 */
export function applyMigrations(
  databaseFile: string,
  migrationsDir: string,
  log: (line: string) => void = () => {},
): { applied: string[] } {
  const migrations = listMigrations(migrationsDir);
  fs.mkdirSync(path.dirname(path.resolve(databaseFile)), { recursive: true });
  const database = new Sqlite(databaseFile, { timeout: 5000 });
  try {
    const mode = database.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new MigrationError(`could not switch the database to WAL (journal_mode is ${String(mode)})`);

    ensureMigrationsTable(database);
    checkHistory(database, migrations, migrationsDir);

    // Prisma's table redefinitions (CREATE new_x, copy, DROP x, rename) expect foreign keys off, and
    // their own `PRAGMA foreign_keys=OFF` is ignored inside a transaction. With keys on, DROP TABLE
    // would run ON DELETE CASCADE and empty the child tables. Keys are checked before each commit instead.
    database.pragma('foreign_keys = OFF');
    const applied: string[] = [];
    for (const migration of migrations) {
      if (applyOne(database, migration)) {
        applied.push(migration.name);
        log(`applied migration ${migration.name}`);
      }
    }
    return { applied };
  } finally {
    database.close();
  }
}

function ensureMigrationsTable(database: Sqlite.Database): void {
  const tables = database
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.includes(MIGRATIONS_TABLE)) return;
  // Same rule as `prisma migrate deploy`: migrations on top of an unknown schema would fail half-way.
  if (tables.length > 0) {
    throw new MigrationError('the database already has tables but no migration history (_prisma_migrations); refusing to migrate it');
  }
  database.exec(CREATE_MIGRATIONS_TABLE);
}

function appliedRows(database: Sqlite.Database): AppliedRow[] {
  return database
    .prepare(`SELECT migration_name, checksum, finished_at FROM "${MIGRATIONS_TABLE}" WHERE rolled_back_at IS NULL ORDER BY started_at`)
    .all() as AppliedRow[];
}

function checkHistory(database: Sqlite.Database, migrations: MigrationFile[], migrationsDir: string): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of appliedRows(database)) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration "${row.migration_name}" is recorded as started but never finished; resolve it (prisma migrate resolve) before starting`,
      );
    }
    const migration = byName.get(row.migration_name);
    if (!migration) {
      throw new MigrationError(`migration "${row.migration_name}" is applied to the database but its folder is missing from ${migrationsDir}`);
    }
    if (!checksumMatches(migration.sql, row.checksum)) {
      throw new MigrationError(
        `migration "${row.migration_name}" was modified after it was applied (checksum mismatch); restore the file and put changes in a new migration`,
      );
    }
  }
}

/** Applies one migration in its own write transaction; false when it was already applied. */
function applyOne(database: Sqlite.Database, migration: MigrationFile): boolean {
  const run = database.transaction((): boolean => {
    // Re-read inside the write lock: another hub process may have applied it meanwhile.
    const done = database
      .prepare(`SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE migration_name = ? AND rolled_back_at IS NULL AND finished_at IS NOT NULL`)
      .get(migration.name);
    if (done) return false;

    const startedAt = Date.now();
    try {
      database.exec(migration.sql);
    } catch (error) {
      throw new MigrationError(`migration "${migration.name}" failed (${sqliteCode(error)}); nothing of it was applied`, { cause: error });
    }
    const violations = database.pragma('foreign_key_check') as { table: string }[];
    if (violations.length > 0) {
      const tables = [...new Set(violations.map((violation) => violation.table))].join(', ');
      throw new MigrationError(`migration "${migration.name}" leaves rows that break foreign keys (in ${tables}); nothing of it was applied`);
    }
    database
      .prepare(
        `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
      )
      .run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
    return true;
  });
  return run.immediate();
}

/** SQLite's error code only: the message may quote the migration's SQL. */
function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}
