// GET /api/stream: the event stream as plain SSE (`id:`, `event: <type>`, `data: <json>`) for curl,
// shell scripts, the worker, the `mesh` CLI and non-TypeScript clients. The same rules as
// events.stream: the agents:read permission, per-principal filtering (visibility.ts), an optional
// `types` filter, resume by Last-Event-ID (header, or `?lastEventId=`) from the ring or the event
// log, the per-principal stream limit shared with events.stream, and a keepalive comment.
// Written straight on the ServerResponse (sse-subscriber.ts): tRPC's SSE producer over web
// streams was ~70% of the hub's CPU in a 100-subscriber fan-out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventsStreamInput } from '@/lib/events';
import { LIMITS } from '@/lib/limits';
import { EVENTS_STREAM_PERMISSION } from '@/lib/permissions';
import { hasPermission } from '../auth/principal';
import { canSeeEvent } from '../events/visibility';
import { SseSubscriber } from '../events/sse-subscriber';
import { openingFrame } from '../events/sse-frames';
import { streamOwnerKey, type EventStreamLimit } from '../events/stream-limit';
import type { StoredEvent } from '../events/event-bus';
import type { Hub } from '../hub';
import { sendJson } from './json-response';
import { resolvePrincipal } from './trpc-context';

export const EVENT_STREAM_PATH = '/api/stream';

/** What EventSource clients wait before reconnecting (sent as `retry:`). */
const RECONNECT_DELAY_MS = 1_000;

export async function handleEventStream(hub: Hub, streams: EventStreamLimit, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') {
    sendJson(response, 405, { error: { code: 'method_not_allowed', message: 'use GET' } }, { Allow: 'GET' });
    return;
  }
  const { principal, invalidBearer } = await resolvePrincipal(hub, request);
  if (!principal) {
    const message = invalidBearer ? 'invalid or revoked token' : 'authentication required: send Authorization: Bearer <token> or sign in';
    sendJson(response, 401, { error: { code: 'unauthorized', message } });
    return;
  }
  if (!hasPermission(principal, EVENTS_STREAM_PERMISSION)) {
    sendJson(response, 403, { error: { code: 'forbidden', message: `missing permission ${EVENTS_STREAM_PERMISSION}` } });
    return;
  }
  const input = parseStreamQuery(request);
  if (!input.ok) {
    sendJson(response, 400, { error: { code: 'bad_input', message: input.message, field: input.field } });
    return;
  }
  const { types, lastEventId } = input;
  // The client may have gone while its token was looked up.
  if (response.destroyed || request.socket.destroyed) return;

  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    // Proxies (nginx, Caddy) must pass frames on as they come.
    'X-Accel-Buffering': 'no',
  });
  response.write(openingFrame(RECONNECT_DELAY_MS));

  let release = () => undefined as void;
  const subscriber = new SseSubscriber({
    response,
    filter: (event) => (types === null || types.has(event.type)) && canSeeEvent(principal, event as StoredEvent),
    capacity: LIMITS.sseQueueEvents,
    clock: hub.clock,
    keepaliveMs: hub.config.streamKeepaliveSeconds * 1000,
    onClose: (closed) => {
      hub.events.detach(closed);
      release();
    },
  });
  // Live events queue from here on, so none is lost while the missed ones load.
  hub.events.attach(subscriber);
  release = streams.add(streamOwnerKey(principal), subscriber);
  response.once('close', () => subscriber.close());
  if (lastEventId === undefined) {
    subscriber.begin([], false);
    return;
  }
  const { events, gap } = await hub.events.eventsAfter(lastEventId);
  subscriber.begin(events, gap);
}

type ParsedQuery = { ok: true; types: Set<string> | null; lastEventId: number | undefined } | { ok: false; message: string; field: string };

/** `?types=a,b` (or repeated), `?lastEventId=` or the Last-Event-ID header, checked by events.stream's own schema. */
function parseStreamQuery(request: IncomingMessage): ParsedQuery {
  const query = new URL(request.url ?? '/', 'http://hub').searchParams;
  const typeList = query.getAll('types').flatMap((value) => value.split(',')).map((type) => type.trim()).filter(Boolean);
  const header = request.headers['last-event-id'];
  const lastEventId = (Array.isArray(header) ? header[0] : header) || query.get('lastEventId') || undefined;
  const parsed = eventsStreamInput.safeParse({ lastEventId, ...(typeList.length > 0 ? { types: typeList } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'types' ? 'types' : issue?.path[0] === 'lastEventId' ? 'lastEventId' : 'query';
    return { ok: false, field, message: `${field}: ${issue?.message ?? 'invalid'}` };
  }
  return {
    ok: true,
    types: parsed.data?.types ? new Set<string>(parsed.data.types) : null,
    lastEventId: parsed.data?.lastEventId ? Number(parsed.data.lastEventId) : undefined,
  };
}
