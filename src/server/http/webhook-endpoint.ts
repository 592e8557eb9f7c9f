// POST /api/webhooks/{id} (the secret in X-Webhook-Secret) and POST /api/webhooks/{id}/github
// (X-Hub-Signature-256 over the raw body): inbound webhooks, answered with JSON. No bearer token
// or cookie: the webhook's own secret is the credential. The checks live in WebhookService.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEBHOOK_BODY_BYTES } from '@/lib/webhooks';
import { AppError } from '../errors';
import type { Hub } from '../hub';
import type { WebhookRoute } from '../webhooks/webhook-service';
import { sendJson } from './json-response';

const WEBHOOK_PATH = /^\/api\/webhooks\/([A-Za-z0-9_-]{1,64})(\/github)?\/?$/;

export function isWebhookPath(pathname: string): boolean {
  return pathname.startsWith('/api/webhooks/');
}

export async function handleWebhook(hub: Hub, request: IncomingMessage, response: ServerResponse, url: string): Promise<void> {
  const pathname = url.split('?', 1)[0] ?? '';
  const match = WEBHOOK_PATH.exec(pathname);
  if (!match) return sendJson(response, 404, { error: { code: 'not_found', message: 'not found: POST /api/webhooks/{id} or /api/webhooks/{id}/github' } });
  if (request.method !== 'POST') return sendJson(response, 405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { Allow: 'POST' });
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : new URLSearchParams();
  const route: WebhookRoute = match[2] ? 'github' : 'generic';
  const answer = await hub.webhooks.receive({
    webhookId: match[1]!,
    route,
    headers: request.headers,
    query: [...query.entries()],
    readBody: () => readRawBody(request, WEBHOOK_BODY_BYTES),
  });
  sendJson(response, answer.status, answer.body, answer.headers);
}

async function readRawBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('limit_exceeded', `body: exceeds the ${maxBytes / 1024} KB limit of a webhook delivery`, { field: 'body' });
}
