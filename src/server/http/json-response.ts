// Small helpers for the REST edges: JSON bodies in and out, AppError → HTTP status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(text);
}

export function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.details.retryAfterSeconds) headers['Retry-After'] = String(error.details.retryAfterSeconds);
    sendJson(
      response,
      HTTP_STATUS_BY_KIND[error.kind],
      { error: { code: error.kind, message: error.message, ...(error.details.field ? { field: error.details.field } : {}) } },
      headers,
    );
    return;
  }
  sendJson(response, 500, { error: { code: 'internal', message: 'internal error' } });
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
