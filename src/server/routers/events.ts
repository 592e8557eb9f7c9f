// events.stream: the live event stream over SSE. Each subscriber sees only the events its
// permissions allow (and, when it asks, only some types); reconnecting with the last event id
// replays what was missed. Clients get an event's public fields only (never its scope or size),
// and a principal holds at most LIMITS.eventStreamsPerPrincipal streams (the oldest is closed).
import { tracked } from '@trpc/server';
import { EVENTS_STREAM_PERMISSION } from '@/lib/permissions';
import { eventsStreamInput, type StreamItem } from '@/lib/events';
import { streamOwnerKey } from '../events/stream-limit';
import { canSeeEvent } from '../events/visibility';
import { createRouter, withPermission } from '../trpc';

/** What a client receives of an event: the bus's copy also carries its scope and byte size. */
function publicView(item: StreamItem): StreamItem {
  return { id: item.id, type: item.type, ts: item.ts, payload: item.payload } as StreamItem;
}

export const eventsRouter = createRouter({
  stream: withPermission(EVENTS_STREAM_PERMISSION)
    .input(eventsStreamInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const afterId = input?.lastEventId ? Number(input.lastEventId) : undefined;
      const types = input?.types ? new Set<string>(input.types) : null;
      const subscription = await ctx.hub.events.subscribe((event) => (types === null || types.has(event.type)) && canSeeEvent(ctx.principal, event), afterId);
      const release = ctx.streams.add(streamOwnerKey(ctx.principal), subscription);
      try {
        for await (const item of subscription.items(signal)) {
          if (item.type === 'resync') yield publicView(item);
          else yield tracked(String(item.id), publicView(item));
        }
      } finally {
        release();
        subscription.close();
      }
    }),
});
