// Collects what a client receives on events.stream, for integration tests that assert an
// event arrived (or did not) after a call over HTTP.
import type { EventType, MeshEvent } from '../lib/events';
import type { HubClient } from '../lib/hub-client';
import type { TestHub } from './test-hub';

export interface EventCollector {
  events: MeshEvent[];
  /** Resolves with the first received event of `type` matching `match`; rejects after the timeout. */
  waitFor<TType extends EventType>(type: TType, match?: (event: MeshEvent<TType>) => boolean, timeoutMs?: number): Promise<MeshEvent<TType>>;
  stop(): void;
}

export function collectEvents(client: HubClient): EventCollector {
  const events: MeshEvent[] = [];
  const listeners = new Set<() => void>();
  const subscription = client.events.stream.subscribe(undefined, {
    onData(item) {
      const tracked = item as { data?: MeshEvent };
      if (!tracked.data) return; // a resync marker: not an event
      events.push(tracked.data);
      for (const listener of listeners) listener();
    },
  });
  return {
    events,
    waitFor(type, match = () => true, timeoutMs = 10_000) {
      const find = () => events.find((event) => event.type === type && match(event as never)) as MeshEvent<typeof type> | undefined;
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const listener = () => {
          const event = find();
          if (!event) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(event);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${type} event within ${timeoutMs} ms (received: ${events.map((event) => event.type).join(', ') || 'none'})`));
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    stop: () => subscription.unsubscribe(),
  };
}

/** Waits until the hub has registered `count` stream subscribers, so no event is published before one listens. */
export async function waitForSubscribers(testHub: TestHub, count: number): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    if (testHub.hub.events.stats().subscribers >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} stream subscribers`);
}
