// next-auth configuration for the dashboard: two credentials providers over the hub's own login
// (username and password, or the master token for a master session, which Admin needs for
// admin-grade tokens; both behind the same per-IP failure limit, same session rows), JWT
// sessions in the `m3sh_session` cookie holding only the session id. Built per request from the running hub (Next's bundle reaches it through
// getActiveHub).
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { masterTokenLoginInput, passwordLoginInput } from '@/lib/users';
import type { Credentials } from '../services/auth-service';
import type { Hub } from '../hub';
import { CLIENT_IP_HEADER } from '../http/request-info';
import { SESSION_COOKIE_NAME } from './session-cookie';

export function buildAuthOptions(hub: Hub): AuthOptions {
  const maxAge = hub.sessions.maxAgeSeconds;
  return {
    secret: hub.sessionSecret,
    session: { strategy: 'jwt', maxAge },
    jwt: { maxAge },
    pages: { signIn: '/login' },
    cookies: {
      sessionToken: {
        name: SESSION_COOKIE_NAME,
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: hub.config.publicUrl?.startsWith('https:') ?? false },
      },
    },
    providers: [
      CredentialsProvider({
        name: 'm3shd',
        credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, request) {
          // The body is the client's: anything but two bounded strings is a failed sign-in (401), not an error.
          const parsed = passwordLoginInput.safeParse({ username: credentials?.username, password: credentials?.password });
          return parsed.success ? signInThroughHub(hub, parsed.data, request) : null;
        },
      }),
      CredentialsProvider({
        id: MASTER_TOKEN_PROVIDER_ID,
        name: 'm3shd master token',
        credentials: { token: { label: 'Master token', type: 'password' } },
        async authorize(credentials, request) {
          const parsed = masterTokenLoginInput.safeParse({ token: credentials?.token });
          return parsed.success ? signInThroughHub(hub, parsed.data, request) : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sid = user.id;
          token.role = (user as { role?: string }).role;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { name: token.name, role: token.role } };
      },
    },
  };
}

/** The provider id the sign-in form names for a master-token sign-in. */
export const MASTER_TOKEN_PROVIDER_ID = 'master-token';

/**
 * One login through the hub (AuthService.login: the per-IP failure limit, then the check), as
 * next-auth's authorize wants it: the session's user, null for wrong credentials, or the
 * RateLimited error next-auth hands to the form.
 */
export async function signInThroughHub(hub: Hub, credentials: Credentials, request: { headers?: Record<string, unknown> } | undefined) {
  const header = request?.headers?.[CLIENT_IP_HEADER];
  const ip = (Array.isArray(header) ? header[0] : header) ?? 'unknown';
  try {
    const session = await hub.auth.login(credentials, String(ip));
    return { id: session.sessionId, name: session.username, role: session.role };
  } catch (error) {
    // Next's bundle has its own copy of AppError, so the kind is read, not instanceof.
    if ((error as { kind?: unknown } | null)?.kind === 'rate_limited') throw new Error('RateLimited');
    return null;
  }
}
