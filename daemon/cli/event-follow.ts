// Follows the hub's live event stream (GET /api/stream, plain SSE) and keeps following it: the
// stream client reconnects after drops and resumes from the last event id (missed events are
// replayed), reopens after a refusal that may pass (a restarting hub's 503), and this stops only
// on an answer that retrying cannot fix (401/403).
import type { MeshEvent } from '../../src/lib/events';
import { openEventStream } from '../../src/lib/event-stream-client';
import { CommandFailure } from './errors';

export interface FollowHandlers {
  onEvent(event: MeshEvent): void;
  /** The stream is connected (first time, and after each reconnect). */
  onLive?(): void;
  /** The stream dropped; it is being retried. */
  onDown?(reason: string): void;
  /** Retrying cannot help (the token was revoked, a permission is missing). */
  onFatal(error: unknown): void;
}

export interface FollowOptions extends FollowHandlers {
  hubUrl: string;
  token: string | undefined;
  /** Backoff between reopenings after a refusal, last value repeated. */
  retryDelaysMs?: readonly number[];
}

export interface EventFollower {
  stop(): void;
}

export function followEvents(options: FollowOptions): EventFollower {
  let live = false;
  const connection = openEventStream({
    hubUrl: options.hubUrl,
    token: options.token,
    reopenDelaysMs: options.retryDelaysMs,
    onOpen() {
      if (live) return;
      live = true;
      options.onLive?.();
    },
    onEvent(item) {
      // An overflow marker is followed by a resume from the last id: nothing to show.
      if (item.type !== 'overflow') options.onEvent(item);
    },
    onError(error) {
      if (error.fatal) {
        options.onFatal(new CommandFailure(refusalLine(error.status, error.message)));
        return;
      }
      if (!live) return;
      live = false;
      options.onDown?.(error.message);
    },
  });
  return { stop: () => connection.close() };
}

/** The one line the CLI prints for a stream the hub will not serve (as describeError words 401/403). */
function refusalLine(status: number | undefined, message: string): string {
  if (status === 401) return 'the hub refused the token (401): invalid or revoked token';
  if (status === 403) return 'permission denied (403): the token may not read the event stream';
  return `the hub refused the event stream${status ? ` (${status})` : ''}: ${message}`;
}
