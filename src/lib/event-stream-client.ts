// A client of the hub's plain SSE stream (GET /api/stream) for Node programs: the worker, the
// `mesh` CLI, benchmarks and tests. The `eventsource` package does the protocol: parsing,
// reconnecting after a drop with Last-Event-ID (so missed events are replayed), and `retry:`.
// On top of it: a bearer token, a `types` filter, and what eventsource leaves to its user —
// an HTTP refusal closes it for good, so this reopens after an answer that may change (5xx: a
// hub restarting) and gives up only on one that will not (400, 401, 403).
import { EventSource } from 'eventsource';
import { EVENT_TYPES, type EventType, type StreamItem } from './events';

/** The hub's last frame for a reader more than its queue cap behind; the stream then resumes by Last-Event-ID. */
export type OverflowMarker = { id: 0; type: 'overflow'; ts: string; payload: { dropped: number } };

export interface EventStreamError {
  /** The HTTP status of a refusal, when there was one. */
  status?: number;
  message: string;
  /** Retrying cannot help: the client has stopped. */
  fatal: boolean;
}

export interface EventStreamOptions {
  hubUrl: string;
  token?: string;
  /** Raw Cookie header instead of a token. */
  cookie?: string;
  /** Only these event types (plus the resync marker); all types when omitted. */
  types?: readonly EventType[];
  /** Resume after this event id on the first connection (later ones send the last id received). */
  lastEventId?: string;
  /** Connected (the first time and after every reconnect). */
  onOpen?(): void;
  onEvent(item: StreamItem | OverflowMarker): void;
  onError?(error: EventStreamError): void;
  /** Waits before reopening after a refusal that may pass (default 1 s, doubling to 15 s). */
  reopenDelaysMs?: readonly number[];
}

export interface EventStreamConnection {
  /** The id of the last event received. */
  readonly lastEventId: string | undefined;
  close(): void;
}

const DEFAULT_REOPEN_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;
/** Statuses that another try will not change. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 405]);

export function openEventStream(options: EventStreamOptions): EventStreamConnection {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.Cookie = options.cookie;
  const delays = options.reopenDelaysMs ?? DEFAULT_REOPEN_DELAYS_MS;
  const listenedTypes: readonly string[] = [...(options.types ?? EVENT_TYPES.filter((type) => type !== 'resync')), 'resync', 'overflow'];
  let lastEventId = options.lastEventId;
  let source: EventSource | undefined;
  let closed = false;
  let failures = 0;
  let reopenTimer: NodeJS.Timeout | undefined;

  const streamUrl = () => {
    const url = new URL('/api/stream', options.hubUrl);
    if (options.types) url.searchParams.set('types', options.types.join(','));
    if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
    return url.toString();
  };

  const onFrame = (message: MessageEvent<string>) => {
    if (message.lastEventId) lastEventId = message.lastEventId;
    let item: StreamItem | OverflowMarker;
    try {
      item = JSON.parse(message.data) as StreamItem | OverflowMarker;
    } catch {
      return;
    }
    options.onEvent(item);
    // Another stream of the same principal replaced this one: reconnecting would close that one in turn.
    if (item.type === 'resync' && item.payload.reason === 'stream_limit') {
      stop();
      options.onError?.({ message: 'the hub closed this stream: the token opened more streams than it may hold', fatal: true });
    }
  };

  function open(): void {
    if (closed) return;
    const current = new EventSource(streamUrl(), {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    });
    source = current;
    current.addEventListener('open', () => {
      failures = 0;
      options.onOpen?.();
    });
    for (const type of listenedTypes) current.addEventListener(type, onFrame);
    current.addEventListener('error', (event) => {
      if (closed || current !== source) return;
      const status = event.code;
      const message = event.message ?? 'event stream error';
      // CONNECTING: eventsource reconnects by itself (a dropped connection). CLOSED: it gave up.
      if (current.readyState !== current.CLOSED) {
        options.onError?.({ status, message, fatal: false });
        return;
      }
      current.close();
      if (status !== undefined && FINAL_STATUSES.has(status)) {
        stop();
        options.onError?.({ status, message, fatal: true });
        return;
      }
      options.onError?.({ status, message, fatal: false });
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 1_000;
      failures += 1;
      reopenTimer = setTimeout(open, delay);
    });
  }

  function stop(): void {
    closed = true;
    clearTimeout(reopenTimer);
    source?.close();
  }

  open();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close: stop,
  };
}
