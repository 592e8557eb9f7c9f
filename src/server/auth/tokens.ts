// High-entropy bearer tokens: generated here, stored only as SHA-256, looked up by hash and
// compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const AGENT_TOKEN_PREFIX = 'm3shd_ag_';
export const MASTER_TOKEN_PREFIX = 'm3shd_master_';

export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
