// Small helpers for the REST edges: JSON bodies in and out, AppError → HTTP status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';
import { uniqueViolationError } from '../unique-violation';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

/** AppError (or a unique violation, as 409) → its status and a JSON error; anything else → a bare 500. */
export function sendError(response: ServerResponse, error: unknown, extraHeaders: Record<string, string> = {}): void {
  const appError = error instanceof AppError ? error : uniqueViolationError(error);
  if (appError) {
    const headers: Record<string, string> = { ...extraHeaders };
    if (appError.details.retryAfterSeconds) headers['Retry-After'] = String(appError.details.retryAfterSeconds);
    sendJson(
      response,
      HTTP_STATUS_BY_KIND[appError.kind],
      {
        error: {
          code: appError.kind,
          message: appError.message,
          ...(appError.details.field ? { field: appError.details.field } : {}),
          ...(appError.details.limit ? { limit: appError.details.limit } : {}),
        },
      },
      headers,
    );
    return;
  }
  sendJson(response, 500, { error: { code: 'internal', message: 'internal error' } }, extraHeaders);
}

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AppError('limit_exceeded', `body: exceeds ${maxBytes} bytes`, { field: 'body' });
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('bad_input', 'body: is not valid JSON', { field: 'body' });
  }
}

/** Aborts when the client goes away before its answer is written (ends a long call such as a claim's long poll). */
export function clientGoneSignal(response: ServerResponse): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  return gone.signal;
}
