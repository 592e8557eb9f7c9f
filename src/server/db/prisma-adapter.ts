// Prisma's driver adapter over the hub's one shared SQLite connection (sqlite/connection.ts).
// Modelled on @prisma/adapter-better-sqlite3, with two differences that matter here:
//  - statements are prepared once and cached by the connection, not prepared on every query;
//  - every statement outside a transaction waits for the connection's lock, which an open
//    interactive transaction holds from BEGIN to COMMIT/ROLLBACK, so a statement of another
//    request can never run inside (and be rolled back with) someone else's transaction.
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ArgType,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { sqlTime, type SqliteConnection, type Statement } from './sqlite/connection';

const ADAPTER_NAME = 'm3shd-shared-sqlite';

class SharedSqliteQueryable {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;

  constructor(
    protected readonly connection: SqliteConnection,
    /** Inside a transaction the lock is already ours; outside, each statement waits for it. */
    private readonly holdsLock: boolean,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.guard(() => {
      const statement = this.prepared(query.sql);
      const args = query.args.map((arg, index) => toSqliteArg(arg, query.argTypes[index]));
      if (!statement.reader) {
        statement.run(args);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      const columns = statement.columns();
      const rows = statement.all(args) as unknown[][];
      const columnTypes = columnTypesOf(columns.map((column) => column.type), rows);
      return { columnNames: columns.map((column) => column.name), columnTypes, rows: rows.map((row) => fromSqliteRow(row, columnTypes)) };
    });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.guard(() => {
      const args = query.args.map((arg, index) => toSqliteArg(arg, query.argTypes[index]));
      return this.prepared(query.sql).run(args).changes;
    });
  }

  protected guard<T>(work: () => T): Promise<T> {
    const run = () => {
      try {
        return work();
      } catch (error) {
        throw toDriverError(error);
      }
    };
    if (this.holdsLock) {
      try {
        return Promise.resolve(run());
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return this.connection.read(run);
  }

  /** Prisma's statements read 64-bit integers safely (bigint); the raw task layer reads plain numbers. */
  private prepared(sql: string): Statement {
    const statement = this.connection.statement(`/* prisma */ ${sql}`);
    statement.safeIntegers(true);
    if (statement.reader) statement.raw(true);
    return statement;
  }
}

class SharedSqliteTransaction extends SharedSqliteQueryable implements Transaction {
  // Prisma sends BEGIN's counterpart itself (COMMIT / ROLLBACK as queries), then calls these.
  readonly options = { usePhantomQuery: false };

  constructor(
    connection: SqliteConnection,
    private readonly release: () => void,
  ) {
    super(connection, true);
  }

  commit(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  async createSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `SAVEPOINT ${name}`, args: [], argTypes: [] });
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `ROLLBACK TO ${name}`, args: [], argTypes: [] });
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `RELEASE SAVEPOINT ${name}`, args: [], argTypes: [] });
  }
}

class SharedSqliteAdapter extends SharedSqliteQueryable implements SqlDriverAdapter {
  constructor(connection: SqliteConnection) {
    super(connection, false);
  }

  executeScript(script: string): Promise<void> {
    return this.guard(() => {
      this.connection.database.exec(script);
    });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    const release = await this.connection.lock.acquire();
    try {
      if (!this.connection.isOpen) throw new Error('the database connection is closed');
      this.connection.statement('BEGIN').run();
    } catch (error) {
      release();
      throw toDriverError(error);
    }
    return new SharedSqliteTransaction(this.connection, release);
  }

  /** The hub closes the shared connection itself (after Prisma), so disposing is a no-op here. */
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

export class SharedSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = ADAPTER_NAME;

  constructor(private readonly connection: SqliteConnection) {}

  connect(): Promise<SqlDriverAdapter> {
    return Promise.resolve(new SharedSqliteAdapter(this.connection));
  }
}

// --- value conversion, as in @prisma/adapter-better-sqlite3 (src/conversion.ts) ---

function columnTypeOfDeclared(declared: string | null): ColumnType | null {
  switch ((declared ?? '').toUpperCase()) {
    case '':
      return null;
    case 'DECIMAL':
      return ColumnTypeEnum.Numeric;
    case 'FLOAT':
      return ColumnTypeEnum.Float;
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'NUMERIC':
    case 'REAL':
      return ColumnTypeEnum.Double;
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'INTEGER':
    case 'SERIAL':
    case 'INT2':
      return ColumnTypeEnum.Int32;
    case 'BIGINT':
    case 'UNSIGNED BIG INT':
    case 'INT8':
      return ColumnTypeEnum.Int64;
    case 'DATETIME':
    case 'TIMESTAMP':
      return ColumnTypeEnum.DateTime;
    case 'TIME':
      return ColumnTypeEnum.Time;
    case 'DATE':
      return ColumnTypeEnum.Date;
    case 'TEXT':
    case 'CLOB':
    case 'CHARACTER':
    case 'VARCHAR':
    case 'VARYING CHARACTER':
    case 'NCHAR':
    case 'NATIVE CHARACTER':
    case 'NVARCHAR':
      return ColumnTypeEnum.Text;
    case 'BLOB':
      return ColumnTypeEnum.Bytes;
    case 'BOOLEAN':
      return ColumnTypeEnum.Boolean;
    case 'JSONB':
      return ColumnTypeEnum.Json;
    default:
      return null;
  }
}

/** Declared types where SQLite has them; for expressions, the type of the first non-null value. */
function columnTypesOf(declared: (string | null)[], rows: unknown[][]): ColumnType[] {
  return declared.map((type, index) => {
    const known = columnTypeOfDeclared(type);
    if (known !== null) return known;
    for (const row of rows) {
      const value = row[index];
      if (value === null || value === undefined) continue;
      if (typeof value === 'string') return ColumnTypeEnum.Text;
      if (typeof value === 'bigint') return ColumnTypeEnum.Int64;
      if (typeof value === 'boolean') return ColumnTypeEnum.Boolean;
      if (typeof value === 'number') return ColumnTypeEnum.UnknownNumber;
      if (value instanceof ArrayBuffer || value instanceof Uint8Array) return ColumnTypeEnum.Bytes;
      throw new Error(`unexpected value of type ${typeof value} in column ${index}`);
    }
    return ColumnTypeEnum.Int32;
  });
}

function fromSqliteRow(row: unknown[], columnTypes: ColumnType[]): unknown[] {
  return row.map((value, index) => {
    const type = columnTypes[index];
    if (typeof value === 'number' && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) return Math.trunc(value);
    if ((typeof value === 'number' || typeof value === 'bigint') && type === ColumnTypeEnum.DateTime) return new Date(Number(value)).toISOString();
    if (typeof value === 'bigint') {
      const asNumber = Number(value);
      return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
    }
    return value;
  });
}

function toSqliteArg(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || arg === undefined) return null;
  const scalar = argType?.scalarType;
  if (typeof arg === 'string') {
    if (scalar === 'int') return Number.parseInt(arg, 10);
    if (scalar === 'float' || scalar === 'decimal') return Number.parseFloat(arg);
    if (scalar === 'bigint') return BigInt(arg);
    if (scalar === 'datetime') return sqlTime(new Date(arg));
    if (scalar === 'bytes') return Buffer.from(arg, 'base64');
    return arg;
  }
  if (typeof arg === 'boolean') return arg ? 1 : 0;
  if (arg instanceof Date) return sqlTime(arg);
  return arg;
}

const SQLITE_BUSY = 5;

/** Maps a better-sqlite3 error to Prisma's driver error kinds (unique violations become P2002, and so on). */
function toDriverError(error: unknown): unknown {
  if (error instanceof DriverAdapterError) return error;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  if (typeof code !== 'string' || typeof message !== 'string') return error;
  const base = { originalCode: code, originalMessage: message };
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const columns = message.split('constraint failed: ').at(1)?.split(', ');
      const fields = columns?.map((field) => field.split('.').pop() ?? field);
      const table = columns?.at(0)?.split('.').slice(0, -1).join('.') || undefined;
      return new DriverAdapterError({ ...base, kind: 'UniqueConstraintViolation', constraint: fields ? { fields } : undefined, table });
    }
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const fields = message.split('constraint failed: ').at(1)?.split(', ').map((field) => field.split('.').pop() ?? field);
      return new DriverAdapterError({ ...base, kind: 'NullConstraintViolation', constraint: fields ? { fields } : undefined });
    }
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
    case 'SQLITE_CONSTRAINT_TRIGGER':
      return new DriverAdapterError({ ...base, kind: 'ForeignKeyConstraintViolation', constraint: { foreignKey: {} } });
    default:
      if (code.startsWith('SQLITE_BUSY')) return new DriverAdapterError({ ...base, kind: 'SocketTimeout' });
      if (message.startsWith('no such table')) return new DriverAdapterError({ ...base, kind: 'TableDoesNotExist', table: message.split(': ').at(1) });
      if (message.startsWith('no such column')) return new DriverAdapterError({ ...base, kind: 'ColumnNotFound', column: message.split(': ').at(1) });
      return new DriverAdapterError({ ...base, kind: 'sqlite', extendedCode: code.startsWith('SQLITE_BUSY') ? SQLITE_BUSY : 1, message });
  }
}
