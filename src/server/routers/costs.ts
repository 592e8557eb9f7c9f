// costs.*: the cost summary (tasks:read) and usage logged outside a task report (tasks:write;
// an agent token logs for its own agent only).
import { costsLogInput, costsSummaryInput } from '@/lib/costs';
import { createRouter, withPermission } from '../trpc';

export const costsRouter = createRouter({
  summary: withPermission('tasks:read')
    .input(costsSummaryInput)
    .query(({ ctx, input }) => ctx.hub.costs.summaryFor(ctx.principal, input ?? {})),
  log: withPermission('tasks:write')
    .input(costsLogInput)
    .mutation(({ ctx, input }) => ctx.hub.costs.log(ctx.principal, input)),
});
