// Migration SQL without network: Prisma's WebAssembly schema engine diffs a SQLite file (or nothing) against schema.prisma.
//
// PINNED INTERNAL API. `@prisma/schema-engine-wasm` is the engine Prisma's CLI loads internally; its
// wasm-bindgen glue, `SchemaEngine.new(options, logCallback, adapterFactory)` and the `diff` parameter
// shapes are not a public API and may change in any release. package.json pins the exact version
// (8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323) and scripts/db/schema-engine.int.test.ts covers every
// behaviour relied on here. Things learnt from this version:
// - the package's main entry imports the .wasm file as an ES module, which plain Node cannot do, so the
//   `schema_engine_bg` glue is imported and the bytes are instantiated by hand;
// - the glue keeps the instance in a module-level variable: instantiate once per process;
// - `SchemaEngine.new` connects the adapter at once, and neither `free()` nor the engine closes it;
// - an empty diff is not an empty string but the comment `-- This is an empty migration.`;
// - a diff from a database sees FTS5 virtual tables and their shadow tables and wants to DROP them, unless
//   they are named in `filters.externalTables`;
// - `diff` from `migrations` needs a shadow database, which the SQLite adapter cannot supply through this
//   engine, hence the "apply migrations to a scratch file, then diff from that file" approach.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

/** The engine build the code above was written against (`version()` of the wasm module). */
export const PINNED_ENGINE_VERSION = '59be4fda12412a79eeb9c2ae727b6aa723593323';

export type DiffToSqlInput = (
  | { fromDatabaseFile: string; fromEmpty?: never }
  | { fromEmpty: true; fromDatabaseFile?: never }
) & {
  /** The full text of the Prisma schema to migrate to. */
  schemaText: string;
  /** Only used in the engine's error messages. */
  schemaPath?: string;
};

let loaded: Promise<typeof glue> | undefined;

/** Instantiates the wasm engine once per process and returns its glue module. */
export function loadSchemaEngine(): Promise<typeof glue> {
  loaded ??= (async () => {
    // The .wasm file is not in the package's "exports"; it sits next to the exported glue file.
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

/** The wasm engine's build hash, to compare with PINNED_ENGINE_VERSION. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadSchemaEngine()).version();
}

/**
 * Returns the SQL that takes the source (an existing SQLite file, or an empty database) to the schema,
 * or '' when they already agree. The database file is only read.
 */
export async function diffToSql(input: DiffToSqlInput): Promise<string> {
  const engineModule = await loadSchemaEngine();
  const schemaPath = input.schemaPath ?? 'schema.prisma';
  const files = [{ path: schemaPath, content: input.schemaText }];

  let url = ':memory:';
  let externalTables: string[] = [];
  if (input.fromDatabaseFile !== undefined) {
    const databaseFile = path.resolve(input.fromDatabaseFile);
    // better-sqlite3 would silently create a missing file, and the diff would then be "from empty".
    if (!existsSync(databaseFile)) throw new Error(`database file not found: ${databaseFile}`);
    url = `file:${databaseFile}`;
    externalTables = tablesPrismaDoesNotManage(databaseFile);
  }

  // Keep every connection the engine opens: the engine never closes them itself.
  const factory = new PrismaBetterSqlite3({ url, readonly: input.fromDatabaseFile !== undefined });
  const opened: SqlDriverAdapter[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };

  let engine: glue.SchemaEngine | undefined;
  try {
    // The engine logs JSON lines (start-up banner, tracing); none of them is needed here.
    engine = await engineModule.SchemaEngine.new(
      { datamodels: [[schemaPath, input.schemaText]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    const result = await engine.diff({
      from:
        input.fromDatabaseFile !== undefined
          ? { tag: 'schemaDatasource', files, configDir: path.dirname(path.resolve(input.fromDatabaseFile)) }
          : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: { externalTables, externalEnums: [] },
    });
    return hasStatements(result.stdout ?? '') ? (result.stdout ?? '') : '';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`schema engine diff failed: ${message}`, { cause: error });
  } finally {
    engine?.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/**
 * Virtual tables (FTS5) and their shadow tables are created by hand-written migration SQL; the engine
 * would otherwise plan to drop them.
 */
function tablesPrismaDoesNotManage(databaseFile: string): string[] {
  const database = new Sqlite(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = database.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('virtual', 'shadow')").all() as {
      name: string;
    }[];
    return rows.map((row) => row.name).sort();
  } finally {
    database.close();
  }
}

/** The engine answers "-- This is an empty migration." when nothing differs. */
function hasStatements(sql: string): boolean {
  return sql.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed !== '' && !trimmed.startsWith('--');
  });
}
