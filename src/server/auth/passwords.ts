// User passwords: PBKDF2-HMAC-SHA256, 310,000 iterations, 16-byte salt. Async so a login does
// not block the event loop.
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);
export const PASSWORD_ITERATIONS = 310_000;
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await pbkdf2Async(password, salt, PASSWORD_ITERATIONS, KEY_LENGTH, 'sha256');
  return `pbkdf2_sha256$${PASSWORD_ITERATIONS}$${salt.toString('base64')}$${derived.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split('$');
  if (scheme !== 'pbkdf2_sha256' || !iterationsText || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64');
  const derived = await pbkdf2Async(password, Buffer.from(saltText, 'base64'), Number(iterationsText), expected.length, 'sha256');
  return timingSafeEqual(derived, expected);
}

/** A generated password for first start and resets: 24 url-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
