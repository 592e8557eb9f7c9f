// Builds each tRPC request's context: the principal, resolved once from the bearer token or,
// failing that, the session cookie (a cookie that cannot be read is no session: 401, not 500).
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal';
import type { EventStreamLimit } from '../events/stream-limit';
import { readCookie, SESSION_COOKIE_NAME } from '../auth/session-cookie';
import type { Hub } from '../hub';
import type { Context } from '../trpc';
import { bearerToken, clientIp, originAllowed } from './request-info';
import { notePrincipal } from './request-principal';

export async function resolvePrincipal(hub: Hub, request: IncomingMessage): Promise<{ principal: Principal | null; invalidBearer: boolean }> {
  const token = bearerToken(request);
  if (token !== undefined) {
    const principal = token ? await hub.auth.principalFromBearer(token) : null;
    notePrincipal(request, principal);
    return { principal, invalidBearer: principal === null };
  }
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE_NAME);
  const principal = cookie ? await hub.auth.principalFromCookie(cookie) : null;
  notePrincipal(request, principal);
  return { principal, invalidBearer: false };
}

export async function createTrpcContext(hub: Hub, request: IncomingMessage, streams: EventStreamLimit): Promise<Context> {
  const { principal, invalidBearer } = await resolvePrincipal(hub, request);
  return {
    hub,
    principal,
    request: { ip: clientIp(request, hub.config.trustProxy), originAllowed: originAllowed(request, hub.config), invalidBearer },
    streams,
  };
}
