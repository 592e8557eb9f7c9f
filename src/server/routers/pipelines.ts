// pipelines.*: tasks wired in sequence (spec section 15); each step's state comes with them.
import { pipelinesCreateInput, pipelinesGetInput, pipelinesListInput } from '@/lib/task-graph';
import { createRouter, withPermission } from '../trpc';

export const pipelinesRouter = createRouter({
  create: withPermission('tasks:write').input(pipelinesCreateInput).mutation(({ ctx, input }) => ctx.hub.graphs.createPipeline(ctx.principal, input)),
  get: withPermission('tasks:read').input(pipelinesGetInput).query(({ ctx, input }) => ctx.hub.graphs.getPipeline(ctx.principal, input.pipelineId)),
  list: withPermission('tasks:read').input(pipelinesListInput).query(({ ctx, input }) => ctx.hub.graphs.listPipelines(ctx.principal, input)),
});
