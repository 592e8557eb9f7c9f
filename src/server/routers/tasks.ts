// tasks.*: create and follow work (operators), claim and report it under a lease (workers).
import {
  tasksCancelInput,
  tasksChunksInput,
  tasksClaimInput,
  tasksCreateInput,
  tasksCreateManyInput,
  tasksDuplicateInput,
  tasksGetInput,
  tasksHandoffInput,
  tasksListInput,
  tasksReportInput,
  tasksReportManyInput,
  tasksRetryInput,
  tasksStreamInput,
} from '@/lib/tasks';
import { tasksLinksInput } from '@/lib/task-graph';
import { createRouter, withPermission } from '../trpc';

const readTasks = withPermission('tasks:read');
const writeTasks = withPermission('tasks:write');

export const tasksRouter = createRouter({
  create: writeTasks.input(tasksCreateInput).mutation(({ ctx, input }) => ctx.hub.tasks.create(ctx.principal, input)),
  createMany: writeTasks.input(tasksCreateManyInput).mutation(async ({ ctx, input }) => ({ tasks: await ctx.hub.tasks.createMany(ctx.principal, input.tasks) })),
  get: readTasks.input(tasksGetInput).query(({ ctx, input }) => ctx.hub.tasks.get(ctx.principal, input.taskId)),
  list: readTasks.input(tasksListInput).query(({ ctx, input }) => ctx.hub.tasks.list(ctx.principal, input)),
  chunks: readTasks.input(tasksChunksInput).query(({ ctx, input }) => ctx.hub.tasks.chunks(ctx.principal, input.taskId, input.afterChunkId, input.limit)),
  cancel: writeTasks.input(tasksCancelInput).mutation(({ ctx, input }) => ctx.hub.tasks.cancel(ctx.principal, input.taskId)),
  /** Re-run: a new task with the same fields; the original is untouched. */
  duplicate: writeTasks.input(tasksDuplicateInput).mutation(({ ctx, input }) => ctx.hub.tasks.duplicate(ctx.principal, input.taskId)),
  retry: writeTasks.input(tasksRetryInput).mutation(({ ctx, input }) => ctx.hub.tasks.retry(ctx.principal, input.taskId)),
  claim: writeTasks.input(tasksClaimInput).mutation(({ ctx, input, signal }) => ctx.hub.execution.claim(ctx.principal, input, signal)),
  report: writeTasks.input(tasksReportInput).mutation(({ ctx, input }) => ctx.hub.execution.report(ctx.principal, input)),
  reportMany: writeTasks.input(tasksReportManyInput).mutation(({ ctx, input }) => ctx.hub.execution.reportMany(ctx.principal, input.reports, input.claimNext)),
  stream: withPermission('tasks:stream').input(tasksStreamInput).mutation(({ ctx, input }) => ctx.hub.execution.stream(ctx.principal, input)),
  /** Parents and children (spec section 15), and the pipeline it belongs to. */
  links: readTasks.input(tasksLinksInput).query(({ ctx, input }) => ctx.hub.graphs.links(ctx.principal, input.taskId)),
  handoff: writeTasks.input(tasksHandoffInput).mutation(({ ctx, input }) => ctx.hub.execution.handoff(ctx.principal, input)),
});
