// The custom server's request routing: security headers on everything, then /api/trpc/*,
// the REST edges, and everything else to Next's handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { TRPCError } from '@trpc/server';
import { LIMITS } from '@/lib/limits';
import { AppError } from '../errors';
import { EventStreamLimit } from '../events/stream-limit';
import type { Hub } from '../hub';
import { appRouter } from '../routers';
import { handleLogin, handleLogout } from './auth-endpoints';
import { createDemoEndpoint, isDemoPath } from './demo-endpoint';
import { handleHealth } from './health-endpoint';
import { EVENT_STREAM_PATH, handleEventStream } from './event-stream-endpoint';
import { handleApiDocs, isApiDocsPath } from './api-docs-endpoint';
import { createRestHandler } from '../rest/rest-handler';
import { HubMetrics } from '../metrics/hub-metrics';
import { handleMetrics, METRICS_PATH } from '../metrics/metrics-endpoint';
import { observeRequest } from './request-observer';
import { fixedFieldsLogger } from '../logging/logger';
import { sendJson } from './json-response';
import { createMcpEndpoint, MCP_PATH } from '../mcp/mcp-endpoint';
import { CLIENT_IP_HEADER, clientIp } from './request-info';
import { applySecurityHeaders } from './security-headers';
import { createTrpcContext } from './trpc-context';
import { createUnbatchedMutationHandler } from './trpc-unbatched-mutation';
import { handleVoiceDispatch, VOICE_DISPATCH_PATH } from './voice-endpoint';
import { handleWebhook, isWebhookPath } from './webhook-endpoint';

export type NextRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface RequestHandlerOptions {
  /** Next's handler; without it (tests, benchmarks) non-API paths are 404. */
  next?: NextRequestHandler;
}

export function createRequestHandler(hub: Hub, options: RequestHandlerOptions = {}) {
  const log = (line: string) => hub.logger.error(line);
  // Only unexpected errors are logged, and never their message (it may hold SQL or paths).
  const logUnexpected = ({ error, path }: { error: TRPCError; path?: string }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') log(`internal error in ${path ?? 'unknown procedure'} (${error.cause?.name ?? 'Error'})`);
  };
  const streams = new EventStreamLimit(LIMITS.eventStreamsPerPrincipal);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: LIMITS.requestBodyBytes,
    // refuseOversizedBatch answers first, with a clearer message; this is the backstop.
    maxBatchSize: LIMITS.trpcBatchCalls,
    // Clients send a query with a long input (a 10 KB memory search) as POST: see src/lib/long-query.ts.
    allowMethodOverride: true,
    createContext: ({ req }) => createTrpcContext(hub, req, streams),
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
    onError: logUnexpected,
  });
  const unbatchedMutation = createUnbatchedMutationHandler(TRPC_BASE_PATH, {
    createContext: (request) => createTrpcContext(hub, request, streams),
    onError: logUnexpected,
    errorHeaders: retryAfterHeaders,
  });
  const handleDemo = createDemoEndpoint(hub);
  const handleMcp = createMcpEndpoint(hub, { streams, log });
  const handleRest = createRestHandler(hub, streams, log);
  const metrics = new HubMetrics(hub);
  const requestLog = fixedFieldsLogger(hub.logger);

  return async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    applySecurityHeaders(response);
    const url = request.url ?? '/';
    const pathname = url.split('?', 1)[0] ?? '/';
    observeRequest(hub, metrics, requestLog, request, response, pathname);
    try {
      if (pathname.startsWith(TRPC_BASE_PATH)) {
        if (refuseOversizedBatch(url, response)) return;
        if (unbatchedMutation(request, response, url)) return;
        trpcHandler(request, response);
        return;
      }
      if (pathname === '/api/health' && (request.method === 'GET' || request.method === 'HEAD')) return await handleHealth(hub, response);
      if (pathname === EVENT_STREAM_PATH) return await handleEventStream(hub, streams, request, response);
      if (pathname === METRICS_PATH) return await handleMetrics(hub, metrics, request, response);
      if (isApiDocsPath(pathname)) return handleApiDocs(hub, request, response, pathname);
      if (pathname === '/api/login' && request.method === 'POST') return await handleLogin(hub, request, response);
      if (pathname === '/api/logout' && request.method === 'POST') return await handleLogout(hub, request, response);
      if (pathname === VOICE_DISPATCH_PATH) return await handleVoiceDispatch(hub, request, response);
      if (pathname === MCP_PATH) return await handleMcp(request, response);
      if (isWebhookPath(pathname)) return await handleWebhook(hub, request, response, url);
      // The public demo: answered here (404 when off, 429, its data), or its page handed on to Next.
      if (isDemoPath(pathname) && (await handleDemo(request, response, pathname))) return;
      // REST at the spec's paths (src/server/rest/routes.ts); unmatched /api/* paths go on (next-auth's are Next's).
      if (pathname.startsWith('/api/') && (await handleRest(request, response, pathname))) return;
      if (options.next) {
        // Next decodes the path and answers a malformed %-escape with a 500; it is the client's error.
        if (!decodablePath(pathname)) {
          sendBadRequestPage(response);
          return;
        }
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

const TRPC_BASE_PATH = '/api/trpc/';

/** A rate-limited call says when to come back (the largest wait of a batch's refusals). */
function retryAfterHeaders(errors: TRPCError[]): Record<string, string> {
  const waits = errors.map((error) => (error.cause instanceof AppError ? (error.cause.details.retryAfterSeconds ?? 0) : 0));
  const retryAfterSeconds = Math.max(0, ...waits);
  return retryAfterSeconds > 0 ? { 'Retry-After': String(retryAfterSeconds) } : {};
}

/**
 * A batched call (`/api/trpc/a,b,c?batch=1`) of more than LIMITS.trpcBatchCalls procedures is
 * refused whole, before any of them runs (each could be a PBKDF2 check or a write), with 400
 * in tRPC's error shape naming the limit. Returns whether it answered.
 */
function refuseOversizedBatch(url: string, response: ServerResponse): boolean {
  const query = url.indexOf('?');
  if (query === -1 || new URLSearchParams(url.slice(query + 1)).get('batch') !== '1') return false;
  const calls = url.slice(TRPC_BASE_PATH.length, query).split(',').length;
  if (calls <= LIMITS.trpcBatchCalls) return false;
  const message = `batch: ${calls} calls in one request exceed the limit of ${LIMITS.trpcBatchCalls} (trpcBatchCalls)`;
  sendJson(response, 400, {
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY.BAD_REQUEST,
      data: { code: 'BAD_REQUEST', httpStatus: 400, message, field: 'batch', limit: 'trpcBatchCalls' },
    },
  });
  return true;
}

function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function sendBadRequestPage(response: ServerResponse): void {
  response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end('400 Bad Request: the URL has a malformed %-escape\n');
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
