// Follows the hub's live event stream (events.stream over SSE) and keeps following it: the SSE
// client reconnects by itself after network drops; when the stream is closed for good (the hub
// ended it, or answered a reconnect with an error) this resubscribes from the last event id
// with capped backoff, and stops only on an answer that retrying cannot fix (401/403).
import type { MeshEvent } from '../../src/lib/events';
import type { HubClient } from '../../src/lib/hub-client';
import { isAuthError, oneLine } from './errors';

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
  client: HubClient;
  /** Asks the hub whether this client is still welcome (throws its refusal); run after the stream closes. */
  probe(): Promise<unknown>;
  /** Backoff between resubscriptions, last value repeated. */
  retryDelaysMs?: readonly number[];
}

export interface EventFollower {
  stop(): void;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

export function followEvents(options: FollowOptions): EventFollower {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let stopped = false;
  let live = false;
  let lastEventId: string | undefined;
  let failures = 0;
  let generation = 0;
  let unsubscribe: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const markDown = (reason: string) => {
    if (!live) return;
    live = false;
    options.onDown?.(reason);
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    const delay = delays[Math.min(failures, delays.length - 1)] ?? 1_000;
    failures += 1;
    retryTimer = setTimeout(connect, delay);
  };

  // Called once per subscription when it ends for good (error or completion).
  const ended = async (subscriptionGeneration: number, reason: string) => {
    if (stopped || subscriptionGeneration !== generation) return;
    generation += 1;
    unsubscribe?.();
    markDown(reason);
    try {
      await options.probe();
    } catch (error) {
      if (isAuthError(error)) {
        stop();
        options.onFatal(error);
        return;
      }
      // Anything else (hub restarting, network down) is worth another try.
    }
    scheduleReconnect();
  };

  function connect(): void {
    if (stopped) return;
    const subscriptionGeneration = generation;
    const subscription = options.client.events.stream.subscribe(lastEventId ? { lastEventId } : undefined, {
      onStarted() {
        failures = 0;
        if (live) return;
        live = true;
        options.onLive?.();
      },
      onData(item: unknown) {
        // Events arrive wrapped with their id (tracked); the resync marker arrives bare.
        const tracked = item as { id?: string; data?: MeshEvent };
        if (tracked.data && typeof tracked.id === 'string') {
          lastEventId = tracked.id;
          options.onEvent(tracked.data);
        } else if ((item as MeshEvent | undefined)?.type === 'resync') {
          options.onEvent(item as MeshEvent);
        }
      },
      onConnectionStateChange(state) {
        if (state.state === 'connecting' && state.error) markDown(oneLine(state.error.message));
      },
      onError(error) {
        void ended(subscriptionGeneration, oneLine(error.message));
      },
      onComplete() {
        void ended(subscriptionGeneration, 'the hub closed the stream');
      },
    });
    unsubscribe = () => subscription.unsubscribe();
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    unsubscribe?.();
  }

  connect();
  return { stop };
}
