// Builds each tRPC request's context: the principal, resolved once from the bearer token or,
// failing that, the session cookie (a cookie that cannot be read is no session: 401, not 500).
import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import { AppError } from '../errors';
import type { Principal } from '../auth/principal';
import type { EventStreamLimit } from '../events/stream-limit';
import { readCookie, SESSION_COOKIE_NAME } from '../auth/session-cookie';
import type { Hub } from '../hub';
import type { Context } from '../trpc';
import { bearerToken, clientIp, originAllowed } from './request-info';
import { notePrincipal } from './request-principal';

/**
 * An API key over one of its limits: the whole request is refused with 429 (TOO_MANY_REQUESTS);
 * the AppError stays the cause, so the error names the limit and Retry-After is set.
 */
function refuseRateLimited(error: unknown): never {
  if (error instanceof AppError && error.kind === 'rate_limited') throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message, cause: error });
  throw error;
}

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
  const { principal, invalidBearer } = await resolvePrincipal(hub, request).catch(refuseRateLimited);
  return {
    hub,
    principal,
    request: { ip: clientIp(request, hub.config.trustProxy), originAllowed: originAllowed(request, hub.config), invalidBearer },
    streams,
  };
}
