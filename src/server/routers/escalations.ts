// escalations.*: the failure chain's records (tasks:read to list, tasks:write to acknowledge
// or resolve). Escalations are raised by the task engine, not through this router.
import { escalationsListInput, escalationsUpdateInput } from '@/lib/escalations';
import { createRouter, withPermission } from '../trpc';

const readEscalations = withPermission('tasks:read');
const writeEscalations = withPermission('tasks:write');

export const escalationsRouter = createRouter({
  list: readEscalations.input(escalationsListInput).query(({ ctx, input }) => ctx.hub.escalations.list(ctx.principal, input ?? {})),
  acknowledge: writeEscalations
    .input(escalationsUpdateInput)
    .mutation(({ ctx, input }) => ctx.hub.escalations.acknowledge(ctx.principal, input.escalationId)),
  resolve: writeEscalations
    .input(escalationsUpdateInput)
    .mutation(({ ctx, input }) => ctx.hub.escalations.resolve(ctx.principal, input.escalationId)),
});
