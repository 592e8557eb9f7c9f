// events.stream: the live event stream over SSE. Each subscriber sees only the events its
// permissions allow (and, when it asks, only some types); reconnecting with the last event id
// replays what was missed.
import { tracked } from '@trpc/server';
import { EVENTS_STREAM_PERMISSION } from '@/lib/permissions';
import { eventsStreamInput } from '@/lib/events';
import { canSeeEvent } from '../events/visibility';
import { createRouter, withPermission } from '../trpc';

export const eventsRouter = createRouter({
  stream: withPermission(EVENTS_STREAM_PERMISSION)
    .input(eventsStreamInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const afterId = input?.lastEventId ? Number(input.lastEventId) : undefined;
      const types = input?.types ? new Set<string>(input.types) : null;
      const subscription = await ctx.hub.events.subscribe((event) => (types === null || types.has(event.type)) && canSeeEvent(ctx.principal, event), afterId);
      try {
        for await (const item of subscription.items(signal)) {
          if (item.type === 'resync') yield item;
          else yield tracked(String(item.id), item);
        }
      } finally {
        subscription.close();
      }
    }),
});
