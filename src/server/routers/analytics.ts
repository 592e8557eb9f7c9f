// analytics.*: the four analytics queries of spec section 22 (tasks, costs, agents, summary),
// each over the last `days` UTC days (default 7), for holders of admin:analytics.
import { analyticsInput } from '@/lib/analytics';
import { createRouter, withPermission } from '../trpc';

const readAnalytics = withPermission('admin:analytics').input(analyticsInput);

export const analyticsRouter = createRouter({
  tasks: readAnalytics.query(({ ctx, input }) => ctx.hub.analytics.tasks(input)),
  costs: readAnalytics.query(({ ctx, input }) => ctx.hub.analytics.costs(input)),
  agents: readAnalytics.query(({ ctx, input }) => ctx.hub.analytics.agents(input)),
  summary: readAnalytics.query(({ ctx, input }) => ctx.hub.analytics.summary(input)),
});
