// approvals.*: the approval queue (tasks:read to list, tasks:write to create or decide; only
// operators decide, which the service enforces).
import { approvalsCreateInput, approvalsDecideInput, approvalsListInput } from '@/lib/approvals';
import { createRouter, withPermission } from '../trpc';

const readApprovals = withPermission('tasks:read');
const writeApprovals = withPermission('tasks:write');

export const approvalsRouter = createRouter({
  create: writeApprovals.input(approvalsCreateInput).mutation(({ ctx, input }) => ctx.hub.approvals.create(ctx.principal, input)),
  list: readApprovals.input(approvalsListInput).query(({ ctx, input }) => ctx.hub.approvals.list(ctx.principal, input ?? {})),
  approve: writeApprovals.input(approvalsDecideInput).mutation(({ ctx, input }) => ctx.hub.approvals.approve(ctx.principal, input.approvalId)),
  reject: writeApprovals.input(approvalsDecideInput).mutation(({ ctx, input }) => ctx.hub.approvals.reject(ctx.principal, input.approvalId)),
});
