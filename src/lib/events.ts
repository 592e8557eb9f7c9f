// Live event types shared by the hub, the UI, the worker and the daemon. Type names are
// snake_case (the spec's where it names them). Each event carries the permission a
// subscriber needs and, when it concerns one agent, that agent's id.
import { z } from 'zod';
import type { Permission } from './permissions';

export interface EventPayloads {
  /** Sent to a subscriber that lost events (slow reader or a gap past retention). */
  resync: { reason: 'queue_overflow' | 'history_gap' };
  user_created: { userId: string; username: string; role: string };
  user_updated: { userId: string; username: string; role: string; disabled: boolean };
  token_created: { tokenId: string; agentId: string; preset: string };
  token_revoked: { tokenId: string; agentId: string };
}

export type EventType = keyof EventPayloads;

export interface EventScope {
  permission: Permission;
  /** The agent the event concerns; agent tokens see only their own agent's scoped events. */
  agentId?: string | null;
}

export interface MeshEvent<TType extends EventType = EventType> {
  id: number;
  type: TType;
  /** ISO timestamp */
  ts: string;
  payload: EventPayloads[TType];
}

/** What the stream delivers: a mesh event, or the resync marker (id 0: not resumable). */
export type StreamItem = { [K in EventType]: MeshEvent<K> }[EventType];

/** events.stream input. tRPC's SSE link sends `lastEventId` on reconnect; the hub replays what was missed. */
export const eventsStreamInput = z
  .object({ lastEventId: z.string().regex(/^\d{1,15}$/, 'must be an event id').nullish() })
  .optional();
