// Unique-constraint violations from any service, mapped in one place to a 409 naming the field.
// A check-then-insert (a free username, say) can lose a race to a concurrent request; the
// database's constraint then decides, and the client must hear "conflict", not "internal error".
// Both doors to the database are recognised: Prisma (P2002, through our driver adapter) and the
// raw better-sqlite3 statements of the task engine (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY).
import { AppError } from './errors';

const SQLITE_UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The columns of a violated unique constraint, or null when `error` is no such violation. */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!error || typeof error !== 'object') return null;
  const candidate = error as { code?: unknown; meta?: unknown; message?: unknown };
  if (candidate.code === 'P2002') {
    const meta = (candidate.meta ?? {}) as { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown } } } };
    const fields = stringList(meta.driverAdapterError?.cause?.constraint?.fields);
    return fields.length > 0 ? fields : stringList(meta.target);
  }
  if (typeof candidate.code === 'string' && SQLITE_UNIQUE_CODES.has(candidate.code) && typeof candidate.message === 'string') {
    // "UNIQUE constraint failed: users.username, users.role"
    const columns = candidate.message.split(': ').slice(1).join(': ');
    return columns
      .split(',')
      .map((column) => column.trim().split('.').at(-1) ?? '')
      .filter(Boolean);
  }
  return null;
}

/** A conflict AppError for a unique violation (field: the first column, camelCased), else null. */
export function uniqueViolationError(error: unknown): AppError | null {
  const columns = uniqueViolationFields(error);
  if (!columns) return null;
  const fields = columns.map(camelCase);
  if (fields.length === 0) return new AppError('conflict', 'already exists (a unique value is taken)');
  const names = fields.join(', ');
  return new AppError('conflict', `${names}: already taken (must be unique)`, { field: fields[0] });
}
