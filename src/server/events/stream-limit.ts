// How many event streams one principal may hold open. One cookie or token could otherwise open
// hundreds (each a socket, a bus subscriber and a queue of up to 500 events). Opening one past
// the limit closes that principal's oldest stream, which first receives a final
// `resync { reason: 'stream_limit' }` so its client knows why it ended: the newest stream is
// the one a user is looking at (a reloaded tab, a restarted `mesh tail`).
import type { Principal } from '../auth/principal';
import type { ResyncReason } from './subscription';

/** A stream the limit can count and end: a tRPC Subscription or an SseSubscriber. */
export interface LimitedStream {
  readonly isClosed: boolean;
  end(reason: ResyncReason): void;
}

/** Whose streams count together: a user (all of their sessions), an agent token, or the master. */
export function streamOwnerKey(principal: Principal): string {
  switch (principal.kind) {
    case 'master':
      return 'master';
    case 'user':
      return `user:${principal.userId}`;
    case 'agent':
      return `token:${principal.tokenId}`;
    case 'apiKey':
      return `key:${principal.keyId}`;
    case 'webhook':
      return `webhook:${principal.webhookId}`;
  }
}

export class EventStreamLimit {
  /** Per owner, open streams oldest first. */
  private readonly open = new Map<string, LimitedStream[]>();

  constructor(private readonly maxPerOwner: number) {}

  /**
   * Counts `subscription` as one of `owner`'s open streams, ending the oldest ones past the
   * limit. Returns the release to call when the stream ends (idempotent).
   */
  add(owner: string, subscription: LimitedStream): () => void {
    const streams = (this.open.get(owner) ?? []).filter((stream) => !stream.isClosed);
    streams.push(subscription);
    while (streams.length > this.maxPerOwner) streams.shift()!.end('stream_limit');
    this.open.set(owner, streams);
    return () => this.remove(owner, subscription);
  }

  /** Open streams of `owner` (tests, stats). */
  count(owner: string): number {
    return (this.open.get(owner) ?? []).filter((stream) => !stream.isClosed).length;
  }

  private remove(owner: string, subscription: LimitedStream): void {
    const streams = this.open.get(owner);
    if (!streams) return;
    const remaining = streams.filter((stream) => stream !== subscription && !stream.isClosed);
    if (remaining.length === 0) this.open.delete(owner);
    else this.open.set(owner, remaining);
  }
}
