import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_ITERATIONS, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with PBKDF2-SHA256 at 310,000 iterations and a random salt', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(PASSWORD_ITERATIONS).toBe(310_000);
    expect(first.startsWith('pbkdf2_sha256$310000$')).toBe(true);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('wrong horse battery', first)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});
