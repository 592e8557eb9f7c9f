// The custom server's request routing: security headers on everything, then /api/trpc/*,
// the REST edges, and everything else to Next's handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { LIMITS } from '@/lib/limits';
import type { Hub } from '../hub';
import { appRouter } from '../routers';
import { handleLogin, handleLogout } from './auth-endpoints';
import { createDemoEndpoint, isDemoPath } from './demo-endpoint';
import { handleHealth } from './health-endpoint';
import { sendJson } from './json-response';
import { CLIENT_IP_HEADER, clientIp } from './request-info';
import { applySecurityHeaders } from './security-headers';
import { createTrpcContext } from './trpc-context';

export type NextRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface RequestHandlerOptions {
  /** Next's handler; without it (tests, benchmarks) non-API paths are 404. */
  next?: NextRequestHandler;
  log?: (line: string) => void;
}

export function createRequestHandler(hub: Hub, options: RequestHandlerOptions = {}) {
  const log = options.log ?? (() => undefined);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    maxBodySize: LIMITS.requestBodyBytes,
    createContext: ({ req }) => createTrpcContext(hub, req),
    onError({ error, path }) {
      // Only unexpected errors are logged, and never their message (it may hold SQL or paths).
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        log(`internal error in ${path ?? 'unknown procedure'} (${error.cause?.name ?? 'Error'})`);
      }
    },
  });
  const handleDemo = createDemoEndpoint(hub);

  return async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    applySecurityHeaders(response);
    const url = request.url ?? '/';
    const pathname = url.split('?', 1)[0] ?? '/';
    try {
      if (pathname.startsWith('/api/trpc/')) {
        trpcHandler(request, response);
        return;
      }
      if (pathname === '/api/health' && (request.method === 'GET' || request.method === 'HEAD')) return await handleHealth(hub, response);
      if (pathname === '/api/login' && request.method === 'POST') return await handleLogin(hub, request, response);
      if (pathname === '/api/logout' && request.method === 'POST') return await handleLogout(hub, request, response);
      // The public demo: answered here (404 when off, 429, its data), or its page handed on to Next.
      if (isDemoPath(pathname) && (await handleDemo(request, response, pathname))) return;
      if (options.next) {
        prepareForNext(request, hub.config.trustProxy);
        return await options.next(request, response);
      }
      sendJson(response, 404, { error: { code: 'not_found', message: 'not found' } });
    } catch (error) {
      log(`request failed for ${request.method ?? 'GET'} ${pathname} (${error instanceof Error ? error.name : 'Error'})`);
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'internal', message: 'internal error' } });
      else response.end();
    }
  };
}

/**
 * Next (and next-auth inside it) sees the client's IP in one header the hub sets itself, and
 * forwarded headers only from a trusted proxy. Without one, x-forwarded-proto states the real
 * protocol, because next-auth assumes https when it is missing.
 */
function prepareForNext(request: IncomingMessage, trustProxy: boolean): void {
  request.headers[CLIENT_IP_HEADER] = clientIp(request, trustProxy);
  if (!trustProxy) {
    delete request.headers['x-forwarded-host'];
    delete request.headers['x-forwarded-for'];
    const encrypted = 'encrypted' in request.socket && Boolean(request.socket.encrypted);
    request.headers['x-forwarded-proto'] = encrypted ? 'https' : 'http';
  }
}
