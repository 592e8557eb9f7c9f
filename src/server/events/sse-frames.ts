// The text of plain SSE frames for GET /api/stream. An event's frame is the same for every
// subscriber allowed to see it (clients get only its public fields, whoever they are), so it is
// serialised once, on first use, and cached on the event object: a fan-out to 100 subscribers
// costs one JSON.stringify, not 100. The WeakMap lets a frame go with its event.
import type { MeshEvent } from '@/lib/events';
import type { ResyncReason } from './subscription';

const frames = new WeakMap<MeshEvent, string>();

/** `id:`, `event: <type>`, `data: <json of { id, type, ts, payload }>`. JSON has no raw newlines, so one data line. */
export function eventFrame(event: MeshEvent): string {
  let frame = frames.get(event);
  if (frame === undefined) {
    const data = JSON.stringify({ id: event.id, type: event.type, ts: event.ts, payload: event.payload });
    frame = `id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`;
    frames.set(event, frame);
  }
  return frame;
}

/** A marker without an id line, so it does not move the client's Last-Event-ID. */
export function resyncFrame(reason: ResyncReason, now: Date): string {
  return `event: resync\ndata: ${JSON.stringify({ id: 0, type: 'resync', ts: now.toISOString(), payload: { reason } })}\n\n`;
}

/** The last frame a subscriber that fell more than its queue cap behind receives before the hub closes its stream. */
export function overflowFrame(dropped: number, now: Date): string {
  return `event: overflow\ndata: ${JSON.stringify({ id: 0, type: 'overflow', ts: now.toISOString(), payload: { dropped } })}\n\n`;
}

/** The first bytes: the client's reconnect delay (EventSource's `retry:`), and a comment so proxies flush. */
export function openingFrame(retryMs: number): string {
  return `retry: ${retryMs}\n: connected\n\n`;
}

export const KEEPALIVE_FRAME = ': keepalive\n\n';
