// One log line and one duration sample per finished HTTP request: method, route template (never
// the raw path: ids and keys would make unbounded label values and log noise), status, duration
// and the kind of principal that called. The principal is noted where the request is
// authenticated (resolvePrincipal); anonymous otherwise.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hub } from '../hub';
import type { HubLogger } from '../logging/logger';
import type { HubMetrics } from '../metrics/hub-metrics';
import { restRouteTemplate } from '../rest/rest-handler';
import { appRouter } from '../routers';
import { principalKindOf } from './request-principal';

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures as unknown as Record<string, unknown>));
const FIXED_ROUTES = new Set(['/api/health', '/api/login', '/api/logout', '/api/stream', '/metrics', '/api/openapi.json', '/api/docs']);
/** Streams last as long as their client: logged, but kept out of the duration histogram. */
const STREAMING_ROUTES = new Set(['/api/stream', '/api/trpc/events.stream']);

export function routeTemplate(pathname: string): string {
  if (pathname.startsWith('/api/trpc/')) {
    const names = pathname.slice('/api/trpc/'.length);
    if (names.includes(',')) return '/api/trpc/(batch)';
    return PROCEDURES.has(names) ? `/api/trpc/${names}` : '/api/trpc/(unknown)';
  }
  if (FIXED_ROUTES.has(pathname)) return pathname;
  if (pathname.startsWith('/api/docs/')) return '/api/docs';
  if (pathname.startsWith('/api/')) return restRouteTemplate(pathname) ?? (pathname.startsWith('/api/auth/') ? '/api/auth' : '/api/(unknown)');
  if (pathname === '/demo' || pathname.startsWith('/demo/')) return '/demo';
  if (pathname.startsWith('/_next/')) return '/_next';
  return '(page)';
}

/** Watches one request until its response closes (finished, or the client went away). */
export function observeRequest(
  hub: Hub,
  metrics: HubMetrics,
  /** hub.logger without redaction (fixedFieldsLogger), for the info line of fixed fields. */
  requestLog: HubLogger,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): void {
  const started = performance.now();
  response.once('close', () => {
    const seconds = (performance.now() - started) / 1000;
    const method = request.method ?? 'GET';
    const route = routeTemplate(pathname);
    const status = response.statusCode;
    const finished = response.writableFinished;
    if (!STREAMING_ROUTES.has(route)) metrics.observeRequest(method, route, status, seconds);
    const line = { method, route, status, durationMs: Math.round(seconds * 10_000) / 10, principal: principalKindOf(request), ...(finished ? {} : { aborted: true }) };
    // At debug, the request's headers too (credentials are censored by the logger).
    if (hub.logger.isLevelEnabled('debug')) hub.logger.debug({ ...line, headers: request.headers }, 'request');
    else requestLog.info(line, 'request');
  });
}
