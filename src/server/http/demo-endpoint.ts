// The public demo's edge (spec section 10): /demo (the page, rendered by Next) and
// GET /api/demo/snapshot (its data). With MESH_DEMO off both are 404. Both count towards one
// limit of 30 requests per minute per client IP; static assets (/_next/*, icons, fonts) never
// reach this code, so they do not count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_REQUESTS_PER_MINUTE } from '@/lib/demo';
import { RequestRateLimiter, type RateDecision } from '../auth/request-rate-limiter';
import { AppError } from '../errors';
import type { Hub } from '../hub';
import { DemoService } from '../services/demo-service';
import { sendError, sendJson } from './json-response';
import { clientIp } from './request-info';

export const DEMO_PAGE_PATH = '/demo';
export const DEMO_SNAPSHOT_PATH = '/api/demo/snapshot';

const WINDOW_MS = 60_000;

/** Decoded and with repeated slashes collapsed, so `/%64emo` or `//demo` cannot slip past to Next. */
export function isDemoPath(rawPathname: string): boolean {
  let pathname = rawPathname;
  try {
    pathname = decodeURIComponent(rawPathname);
  } catch {
    // Malformed escapes: match on the raw path; Next answers such a request 400 anyway.
  }
  pathname = pathname.replace(/\/{2,}/g, '/');
  return pathname === DEMO_PAGE_PATH || pathname.startsWith(`${DEMO_PAGE_PATH}/`) || pathname === '/api/demo' || pathname.startsWith('/api/demo/');
}

/**
 * Returns the handler for demo paths. It answers 404, 429 and the snapshot itself, and returns
 * false for an allowed page request, which the caller hands on to Next.
 */
export function createDemoEndpoint(hub: Hub) {
  const limiter = new RequestRateLimiter(hub.clock, DEMO_REQUESTS_PER_MINUTE, WINDOW_MS);
  const demo = new DemoService({ db: hub.db, clock: hub.clock });

  return async function handleDemo(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    const isApi = pathname.startsWith('/api/');
    if (!hub.config.demo) {
      if (isApi) sendJson(response, 404, { error: { code: 'not_found', message: 'not found' } });
      else sendStatusPage(response, 404, 'Not found', 'There is no page here.');
      return true;
    }

    const decision = limiter.take(clientIp(request, hub.config.trustProxy));
    setRateHeaders(response, decision);
    if (!decision.allowed) {
      const message = `too many requests: the demo allows ${decision.limit} per minute; try again in ${decision.retryAfterSeconds} s`;
      if (isApi) sendError(response, new AppError('rate_limited', message, { retryAfterSeconds: decision.retryAfterSeconds }));
      else sendStatusPage(response, 429, 'Slow down', `The demo allows ${decision.limit} requests a minute. Try again in ${decision.retryAfterSeconds} s.`, { 'Retry-After': String(decision.retryAfterSeconds) });
      return true;
    }
    if (!isApi) return false;

    if (pathname !== DEMO_SNAPSHOT_PATH) {
      sendJson(response, 404, { error: { code: 'not_found', message: 'not found' } });
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: { code: 'method_not_allowed', message: 'use GET' } }, { Allow: 'GET, HEAD' });
      return true;
    }
    sendJson(response, 200, await demo.snapshot());
    return true;
  };
}

function setRateHeaders(response: ServerResponse, decision: RateDecision): void {
  response.setHeader('RateLimit-Limit', String(decision.limit));
  response.setHeader('RateLimit-Remaining', String(decision.remaining));
}

/** A small self-contained page in the app's palette, for answers Next never renders. */
function sendStatusPage(response: ServerResponse, status: number, title: string, message: string, headers: Record<string, string> = {}): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · m3shd</title>
<style>
:root{--bg:#0b0d12;--surface:#141821;--border:#2a3042;--text:#e6e8ef;--text-muted:#8a93a8;--purple:#a370f7;--brand-gradient:linear-gradient(90deg,#f5a524,#a370f7,#2ecc8f)}
body{margin:0;min-height:100dvh;display:grid;place-items:center;background:var(--bg);color:var(--text);font:15px 'JetBrains Mono',ui-monospace,monospace;padding:16px;box-sizing:border-box}
main{max-width:380px;width:100%;background:var(--surface);border:1px solid var(--border);border-radius:12px;padding:24px}
h1{margin:0 0 8px;font-size:28px;letter-spacing:.08em;background:var(--brand-gradient);-webkit-background-clip:text;background-clip:text;color:transparent;width:fit-content}
p{color:var(--text-muted);margin:0 0 12px}a{color:var(--purple)}
</style></head>
<body><main><h1>M3SHD</h1><p><strong style="color:var(--text)">${status} · ${title}</strong></p><p>${message}</p><p><a href="/">Go to the dashboard</a></p></main></body></html>`;
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(html);
}
