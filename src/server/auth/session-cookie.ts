// The dashboard session cookie. It is next-auth's own session token (an encrypted JWT made
// with next-auth's `encode`), so a login through next-auth's credentials provider and one
// through POST /api/login produce the same cookie. It carries only the session row's id:
// the hub checks that row (not revoked, not expired) and its user (enabled) on every request.
import { decode, encode } from 'next-auth/jwt';

/** The spec's cookie name; next-auth is configured to use it too (src/server/auth/next-auth-options.ts). */
export const SESSION_COOKIE_NAME = 'm3sh_session';

export interface SessionClaims {
  sid: string;
  sub: string;
  name: string;
  role: string;
}

export async function mintSessionToken(secret: string, claims: SessionClaims, maxAgeSeconds: number): Promise<string> {
  return encode({ token: { ...claims }, secret, maxAge: maxAgeSeconds });
}

export async function readSessionToken(secret: string, token: string): Promise<{ sid: string } | null> {
  try {
    const claims = await decode({ token, secret });
    return claims && typeof claims.sid === 'string' ? { sid: claims.sid } : null;
  } catch {
    return null;
  }
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE_NAME}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookieHeader(secure: boolean): string {
  return sessionCookieHeader('', 0, secure);
}

/**
 * A cookie's value from a Cookie header, or undefined when it is absent. A value with a
 * malformed %-escape is the client's garbage, not an error: it reads as absent (no session).
 */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether the request carries the session cookie at all (even one that reads as no session). */
export function hasCookie(cookieHeader: string | undefined, name: string): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(';').some((part) => {
    const separator = part.indexOf('=');
    return separator !== -1 && part.slice(0, separator).trim() === name;
  });
}
