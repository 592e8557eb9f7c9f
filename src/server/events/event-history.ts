// The event log read backwards for the Logs page: a page of events older than a cursor id, with
// the same per-principal visibility as the live stream (the SQL narrows by the permissions held
// and the agent scope; canSeeEvent, the stream's own rule, checks each row again).
import type { z } from 'zod';
import type { eventsHistoryInput, StreamItem } from '@/lib/events';
import { permissionsOf, seesWholeMesh, type Principal } from '../auth/principal';
import type { EventBus, StoredEvent } from './event-bus';
import { canSeeEvent } from './visibility';

/** What a client receives of an event: the bus's copy also carries its scope and byte size. */
export function publicEventView(item: StreamItem | StoredEvent): StreamItem {
  return { id: item.id, type: item.type, ts: item.ts, payload: item.payload } as StreamItem;
}

export interface EventHistoryPage {
  /** Newest first. */
  events: StreamItem[];
  /** Pass as `beforeId` for the next (older) page; null: this was the oldest. */
  nextBeforeId: number | null;
}

export async function eventHistory(bus: EventBus, principal: Principal, input: z.infer<typeof eventsHistoryInput>): Promise<EventHistoryPage> {
  const rows = await bus.history({
    beforeId: input.beforeId ?? null,
    permissions: permissionsOf(principal),
    agentId: principal.kind === 'agent' && !seesWholeMesh(principal) ? principal.agentId : null,
    types: input.types,
    text: input.text,
    limit: input.limit + 1,
  });
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit).filter((event) => canSeeEvent(principal, event));
  const last = rows[Math.min(rows.length, input.limit) - 1];
  return { events: page.map(publicEventView), nextBeforeId: more && last ? last.id : null };
}
