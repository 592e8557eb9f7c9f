// inbox.get: what needs the operator first (the dashboard's inbox and its tab badge).
import { createRouter, withPermission } from '../trpc';

export const inboxRouter = createRouter({
  get: withPermission('tasks:read').query(({ ctx }) => ctx.hub.inbox.get(ctx.principal)),
});
