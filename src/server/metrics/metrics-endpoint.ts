// GET /metrics: the Prometheus text format. With MESH_METRICS_TOKEN set, a bearer token equal to
// it is required (compared in constant time); without it, only loopback clients are served, and
// not through a proxy (a request carrying forwarding headers came from elsewhere, even when the
// proxy itself connects from 127.0.0.1).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hub } from '../hub';
import type { HubMetrics } from './hub-metrics';
import { sendJson } from '../http/json-response';
import { bearerToken } from '../http/request-info';

export const METRICS_PATH = '/metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'forwarded'];

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function handleMetrics(hub: Hub, metrics: HubMetrics, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: { code: 'METHOD_NOT_SUPPORTED', message: 'use GET' } }, { Allow: 'GET, HEAD' });
    return;
  }
  const expected = hub.config.metricsToken;
  if (expected) {
    const given = bearerToken(request);
    if (!given || !sameSecret(given, expected)) {
      sendJson(response, 401, { error: { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <MESH_METRICS_TOKEN>' } }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
  } else {
    const loopback = LOOPBACK.has(request.socket.remoteAddress ?? '') && !FORWARDING_HEADERS.some((header) => request.headers[header] !== undefined);
    if (!loopback) {
      sendJson(response, 403, { error: { code: 'FORBIDDEN', message: 'metrics are served to loopback clients only; set MESH_METRICS_TOKEN to scrape from elsewhere' } });
      return;
    }
  }
  const { contentType, body } = await metrics.render();
  response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
}
