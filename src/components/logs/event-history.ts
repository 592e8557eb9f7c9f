// How the logs page joins the event log's history (events.history, newest first) with the live
// events the shell collects: one list by id, newest first, each event once; and which history
// query a type filter maps to, so paging back finds matches instead of pages of others.
import { EVENT_TYPES, type EventType, type StreamItem } from '@/lib/events';
import { inFamily, summarize, type TypeFamily } from './event-format';

/** Live events and history pages as one list, newest first, without duplicates. */
export function mergeEvents(live: readonly StreamItem[], pages: readonly (readonly StreamItem[])[]): StreamItem[] {
  const byId = new Map<number, StreamItem>();
  for (const event of live) byId.set(event.id, event);
  for (const page of pages) for (const event of page) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** The event types a family filter asks the hub for (the family rule still decides per event, e.g. open breakers). */
export function typesOfFamily(family: TypeFamily): EventType[] {
  return EVENT_TYPES.filter((type) => inFamily({ id: 0, ts: '', type, payload: { state: 'open' } } as unknown as StreamItem, family));
}

/** The search box: matches the type, the summary line or anywhere in the payload, ignoring case. */
export function matchesText(event: StreamItem, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return event.type.includes(needle) || summarize(event).toLowerCase().includes(needle) || JSON.stringify(event.payload).toLowerCase().includes(needle);
}

/** The task an event is about, with its title when the event carries it. */
export function taskOf(event: StreamItem): { id: string; title: string | null } | null {
  const payload = event.payload as unknown as Record<string, unknown>;
  const id = payload.taskId;
  if (typeof id !== 'string' || !id) return null;
  return { id, title: typeof payload.title === 'string' ? payload.title : null };
}
