// How an inbound webhook proves it knows the secret: the generic route sends the secret itself in
// X-Webhook-Secret; GitHub signs the raw body (X-Hub-Signature-256: sha256=<hex HMAC-SHA256>).
// Both compare in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Compares the presented secret with the stored one; hashing both first makes the comparison length-independent. */
export function secretMatches(presented: string, secret: string): boolean {
  const left = createHash('sha256').update(presented, 'utf8').digest();
  const right = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(left, right) && presented.length > 0;
}

export function githubSignature(secret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Checks X-Hub-Signature-256 against the HMAC of the raw body. */
export function githubSignatureMatches(header: string, secret: string, rawBody: Buffer): boolean {
  const expected = Buffer.from(githubSignature(secret, rawBody), 'utf8');
  const presented = Buffer.from(header.trim(), 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
