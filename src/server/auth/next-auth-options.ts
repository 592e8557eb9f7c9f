// next-auth configuration for the dashboard: a credentials provider over the hub's own login
// (same rate limit, same session rows), JWT sessions in the `m3sh_session` cookie holding only
// the session id. Built per request from the running hub (Next's bundle reaches it through
// getActiveHub).
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { passwordLoginInput } from '@/lib/users';
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
          if (!parsed.success) return null;
          const { username, password } = parsed.data;
          const header = request.headers?.[CLIENT_IP_HEADER];
          const ip = (Array.isArray(header) ? header[0] : header) ?? 'unknown';
          try {
            const session = await hub.auth.login({ username, password }, ip);
            return { id: session.sessionId, name: session.username, role: session.role };
          } catch (error) {
            // Next's bundle has its own copy of AppError, so the kind is read, not instanceof.
            if ((error as { kind?: unknown } | null)?.kind === 'rate_limited') throw new Error('RateLimited');
            return null;
          }
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
