// POST /api/login and POST /api/logout for scripts and the login page. A login mints the same
// next-auth session cookie as the dashboard's credentials provider.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loginInput } from '@/lib/users';
import { AppError } from '../errors';
import type { Hub } from '../hub';
import { clearedSessionCookieHeader, hasCookie, readCookie, SESSION_COOKIE_NAME, sessionCookieHeader } from '../auth/session-cookie';
import { clientIp, isSecureRequest, originAllowed } from './request-info';
import { readJsonBody, sendError, sendJson } from './json-response';

const MAX_LOGIN_BODY_BYTES = 4 * 1024;

function refuseCrossOrigin(hub: Hub, request: IncomingMessage): void {
  // A browser always sends Origin on POST; scripts (curl) usually send none.
  if (request.headers.origin && !originAllowed(request, hub.config)) {
    throw new AppError('forbidden', 'cross-origin request refused (Origin does not match the hub)');
  }
}

export async function handleLogin(hub: Hub, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    refuseCrossOrigin(hub, request);
    const parsed = loginInput.safeParse(await readJsonBody(request, MAX_LOGIN_BODY_BYTES));
    if (!parsed.success) {
      throw new AppError('bad_input', 'body: send {"username","password"} or {"token"}', { field: 'body' });
    }
    const session = await hub.auth.login(parsed.data, clientIp(request, hub.config.trustProxy));
    sendJson(
      response,
      200,
      { ok: true, username: session.username, role: session.role, expiresInSeconds: session.maxAgeSeconds },
      { 'Set-Cookie': sessionCookieHeader(session.token, session.maxAgeSeconds, isSecureRequest(request, hub.config)) },
    );
  } catch (error) {
    sendError(response, error);
  }
}

/**
 * Ends the cookie's session. Ending a session is a cookie-authenticated mutation, so it needs
 * the hub's own Origin (CSRF: another site must not sign the user out); without a valid session
 * it is 401. Either way the answer clears the cookie.
 */
export async function handleLogout(hub: Hub, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const cleared = { 'Set-Cookie': clearedSessionCookieHeader(isSecureRequest(request, hub.config)) };
  try {
    if (!hasCookie(request.headers.cookie, SESSION_COOKIE_NAME)) {
      sendError(response, new AppError('unauthorized', 'no session cookie: nothing to end'), cleared);
      return;
    }
    if (!originAllowed(request, hub.config)) {
      throw new AppError('forbidden', 'cross-origin request refused (logout needs the hub’s own Origin)');
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE_NAME);
    const principal = cookie ? await hub.auth.principalFromCookie(cookie) : null;
    if (!principal) {
      sendError(response, new AppError('unauthorized', 'no valid session to end'), cleared);
      return;
    }
    await hub.auth.logout(principal);
    sendJson(response, 200, { ok: true }, cleared);
  } catch (error) {
    sendError(response, error);
  }
}
