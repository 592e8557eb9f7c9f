import { describe, expect, it } from 'vitest';
import { uniqueViolationError, uniqueViolationFields } from './unique-violation';

describe('uniqueViolationError', () => {
  it('reads the fields of Prisma’s P2002 (driver adapter or target) and of raw SQLite errors, camelCased', () => {
    const viaAdapter = { code: 'P2002', meta: { driverAdapterError: { cause: { constraint: { fields: ['username'] } } } } };
    expect(uniqueViolationError(viaAdapter)).toMatchObject({ kind: 'conflict', details: { field: 'username' } });
    expect(uniqueViolationFields({ code: 'P2002', meta: { target: ['token_hash'] } })).toEqual(['token_hash']);
    expect(uniqueViolationError({ code: 'P2002', meta: { target: ['token_hash'] } })?.details.field).toBe('tokenHash');
    const sqlite = Object.assign(new Error('UNIQUE constraint failed: tasks.created_by, tasks.client_request_id'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const mapped = uniqueViolationError(sqlite);
    expect(mapped?.details.field).toBe('createdBy');
    expect(mapped?.message).toBe('createdBy, clientRequestId: already taken (must be unique)');
  });

  it('leaves every other error alone', () => {
    for (const error of [new Error('x'), { code: 'P2025' }, { code: 'SQLITE_BUSY', message: 'busy' }, null, 'P2002', undefined]) {
      expect(uniqueViolationError(error)).toBeNull();
    }
  });

  it('still answers conflict when the fields are unknown', () => {
    expect(uniqueViolationError({ code: 'P2002', meta: {} })).toMatchObject({ kind: 'conflict', details: {} });
  });
});
