// events.stream: the live event stream over SSE. Each subscriber sees only the events its
// permissions allow (and, when it asks, only some types); reconnecting with the last event id
// replays what was missed. Clients get an event's public fields only (never its scope or size),
// and a principal holds at most LIMITS.eventStreamsPerPrincipal streams (the oldest is closed).
// events.history reads the log backwards with the same visibility (the Logs page on open).
import { tracked } from '@trpc/server';
import { EVENTS_STREAM_PERMISSION } from '@/lib/permissions';
import { eventsHistoryInput, eventsStreamInput } from '@/lib/events';
import { eventHistory, publicEventView } from '../events/event-history';
import { streamOwnerKey } from '../events/stream-limit';
import { revokesPrincipal } from '../events/revocation';
import { canSeeEvent } from '../events/visibility';
import { createRouter, withPermission } from '../trpc';

export const eventsRouter = createRouter({
  /** The event log paged backwards, newest first, with the stream's visibility (the Logs page's history). */
  history: withPermission(EVENTS_STREAM_PERMISSION)
    .input(eventsHistoryInput)
    .query(({ ctx, input }) => eventHistory(ctx.hub.events, ctx.principal, input)),
  stream: withPermission(EVENTS_STREAM_PERMISSION)
    .input(eventsStreamInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const afterId = input?.lastEventId ? Number(input.lastEventId) : undefined;
      const types = input?.types ? new Set<string>(input.types) : null;
      const subscription = await ctx.hub.events.subscribe(
        (event) => revokesPrincipal(ctx.principal, event) || ((types === null || types.has(event.type)) && canSeeEvent(ctx.principal, event)),
        afterId,
      );
      const release = ctx.streams.add(streamOwnerKey(ctx.principal), subscription);
      try {
        for await (const item of subscription.items(signal)) {
          // The stream's own credential was revoked: end it now (a reconnect is refused with 401).
          if (item.type !== 'resync' && revokesPrincipal(ctx.principal, item)) return;
          if (item.type === 'resync') yield publicEventView(item);
          else yield tracked(String(item.id), publicEventView(item));
        }
      } finally {
        release();
        subscription.close();
      }
    }),
});
