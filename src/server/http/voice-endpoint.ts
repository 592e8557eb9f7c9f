// POST /api/voice/dispatch: a Siri Shortcut (Dictate Text → Get Contents of URL) sends what was
// said, as JSON {"text": "…"} or text/plain, with a bearer token holding voice:dispatch; the answer
// is one sentence to speak back (text/plain), or JSON when the client asks for it (Accept:
// application/json). Bearer tokens only: no cookie, so no cross-site request can use it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { voiceDispatchInput } from '@/lib/templates';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';
import { hasPermission } from '../auth/principal';
import type { Hub } from '../hub';
import { VoiceNotUnderstood } from '../templates/voice-dispatch';
import { bearerToken } from './request-info';

export const VOICE_DISPATCH_PATH = '/api/voice/dispatch';
const MAX_VOICE_BODY_BYTES = 8 * 1024;

export async function handleVoiceDispatch(hub: Hub, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const wantsJson = /application\/json/i.test(String(request.headers.accept ?? ''));
  const answer = (status: number, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const body = wantsJson ? JSON.stringify(status < 400 ? { message, ...details } : { error: { message, ...details } }) : `${message}\n`;
    response.writeHead(status, { 'Content-Type': wantsJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    response.end(body);
  };
  try {
    if (request.method !== 'POST') return answer(405, 'Use POST with the text to dispatch.', { code: 'method_not_allowed' }, { Allow: 'POST' });
    const token = bearerToken(request);
    if (token === undefined) return answer(401, 'Send the hub token in the Authorization header as "Bearer <token>".', { code: 'unauthorized' });
    const principal = token ? await hub.auth.principalFromBearer(token) : null;
    if (!principal) return answer(401, 'The hub did not accept this token.', { code: 'unauthorized' });
    if (!hasPermission(principal, 'voice:dispatch')) return answer(403, 'This token may not dispatch by voice: it needs the voice:dispatch permission.', { code: 'forbidden' });
    const text = await readVoiceText(request);
    const result = await hub.voice.dispatch(principal, text);
    return answer(200, result.message, {
      template: result.template,
      variables: result.variables,
      taskId: result.task.id,
      agentId: result.agentId,
      matchedBy: result.matchedBy,
    });
  } catch (error) {
    if (error instanceof VoiceNotUnderstood) return answer(422, error.message, { code: 'not_understood' });
    if (error instanceof AppError) {
      // An API key over its limit: say when to come back.
      const wait: Record<string, string> = error.details.retryAfterSeconds ? { 'Retry-After': String(error.details.retryAfterSeconds) } : {};
      return answer(HTTP_STATUS_BY_KIND[error.kind], error.message, { code: error.kind, ...(error.details.field ? { field: error.details.field } : {}) }, wait);
    }
    throw error;
  }
}

/** The dictated text: {"text": "…"} as JSON, or the whole body as plain text. */
async function readVoiceText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_VOICE_BODY_BYTES) throw new AppError('limit_exceeded', `body: exceeds ${MAX_VOICE_BODY_BYTES / 1024} KB`, { field: 'body' });
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const looksJson = type.includes('application/json') || (!type.startsWith('text/') && raw.trimStart().startsWith('{'));
  if (!looksJson) return raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError('bad_input', 'body: is not valid JSON; send {"text": "…"} or plain text', { field: 'body' });
  }
  const body = voiceDispatchInput.safeParse(parsed);
  if (!body.success) {
    const tooLong = body.error.issues.some((issue) => issue.code === 'too_big');
    throw new AppError('bad_input', tooLong ? 'text: at most 1,000 characters' : 'text: send {"text": "…"} with the dictated sentence', { field: 'text' });
  }
  return body.data.text;
}
