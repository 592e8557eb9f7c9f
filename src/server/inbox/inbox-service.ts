// The dashboard's inbox: pending approvals, open escalations, tasks failed in the last 24 h,
// overdue tasks and queued tasks that cannot run, in one read so the page and its tab badge agree.
// A worker or mobile token sees only what concerns its own agent (the same rules as the
// approvals, escalations and tasks procedures).
import { CANNOT_RUN_REASONS, INBOX_FAILED_WINDOW_HOURS, INBOX_ITEMS_PER_KIND, type Inbox, type InboxTask } from '@/lib/inbox';
import { LIMITS } from '@/lib/limits';
import { OPEN_TASK_STATUSES } from '@/lib/tasks';
import type { WaitReason } from '@/lib/wait-reasons';
import { hasPermission, principalLabel, seesWholeMesh, type Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { WaitingTask } from '../tasks/wait-reasons';

export interface InboxServiceDeps {
  db: Database;
  clock: Clock;
  explainWait: (task: WaitingTask) => WaitReason | null;
}

const taskSelect = {
  id: true,
  title: true,
  status: true,
  assignedTo: true,
  assignTo: true,
  requiredCapability: true,
  deadline: true,
  updatedAt: true,
  error: true,
} as const;

type TaskRow = { id: string; title: string; status: string; assignedTo: string | null; assignTo: string | null; requiredCapability: string | null; deadline: Date | null; updatedAt: Date; error: string | null };

export class InboxService {
  constructor(private readonly deps: InboxServiceDeps) {}

  async get(principal: Principal): Promise<Inbox> {
    const { db } = this.deps;
    const now = this.deps.clock.now();
    const scoped = principal.kind === 'agent' && !seesWholeMesh(principal);
    const agentId = principal.kind === 'agent' ? principal.agentId : null;
    const taskScope = scoped ? { OR: [{ assignedTo: agentId }, { createdBy: principalLabel(principal) }] } : {};
    const approvalWhere = { status: 'pending', expiresAt: { gt: now }, ...(principal.kind === 'agent' ? { agentId: principal.agentId } : {}) };
    const escalationWhere = { status: 'open', ...(principal.kind === 'agent' ? { OR: [{ fromAgent: principal.agentId }, { toAgent: principal.agentId }] } : {}) };
    const failedWhere = { status: 'failed', completedAt: { gte: new Date(now.getTime() - INBOX_FAILED_WINDOW_HOURS * 3_600_000) }, ...taskScope };
    const overdueWhere = { status: { in: [...OPEN_TASK_STATUSES] }, deadline: { lt: now }, ...taskScope };

    const [approvals, approvalCount, escalations, escalationCount, failed, failedCount, overdue, overdueCount, queued] = await Promise.all([
      db.approval.findMany({ where: approvalWhere, orderBy: { expiresAt: 'asc' }, take: INBOX_ITEMS_PER_KIND }),
      db.approval.count({ where: approvalWhere }),
      db.escalation.findMany({ where: escalationWhere, orderBy: { id: 'desc' }, take: INBOX_ITEMS_PER_KIND }),
      db.escalation.count({ where: escalationWhere }),
      db.task.findMany({ where: failedWhere, select: taskSelect, orderBy: { completedAt: 'desc' }, take: INBOX_ITEMS_PER_KIND }),
      db.task.count({ where: failedWhere }),
      db.task.findMany({ where: overdueWhere, select: taskSelect, orderBy: { deadline: 'asc' }, take: INBOX_ITEMS_PER_KIND }),
      db.task.count({ where: overdueWhere }),
      // Reasons come from memory, so the oldest queued tasks up to the list limit are explained.
      db.task.findMany({ where: { status: 'queued', ...taskScope }, select: taskSelect, orderBy: { id: 'asc' }, take: LIMITS.listRows }),
    ]);
    const cannotRun = queued.map((row) => this.toTask(row)).filter((task) => task.waitReason && CANNOT_RUN_REASONS.includes(task.waitReason.kind));
    const counts = {
      approvals: approvalCount,
      escalations: escalationCount,
      failed: failedCount,
      overdue: overdueCount,
      cannotRun: cannotRun.length,
      total: 0,
    };
    counts.total = counts.approvals + counts.escalations + counts.failed + counts.overdue + counts.cannotRun;
    return {
      approvals: approvals.map((row) => ({ id: row.id, agentId: row.agentId, action: row.action, description: row.description, expiresAt: row.expiresAt.toISOString(), createdAt: row.createdAt.toISOString() })),
      escalations: escalations.map((row) => ({ id: row.id, fromAgent: row.fromAgent, toAgent: row.toAgent, taskId: row.taskId, reason: row.reason, createdAt: row.createdAt.toISOString() })),
      failed: failed.map((row) => this.toTask(row)),
      overdue: overdue.map((row) => this.toTask(row)),
      cannotRun: cannotRun.slice(0, INBOX_ITEMS_PER_KIND),
      counts,
      // approvals.approve needs tasks:write, and the service refuses every agent token.
      canDecide: principal.kind !== 'agent' && hasPermission(principal, 'tasks:write'),
    };
  }

  private toTask(row: TaskRow): InboxTask {
    return {
      id: row.id,
      title: row.title,
      status: row.status,
      assignedTo: row.assignedTo,
      requiredCapability: row.requiredCapability,
      deadline: row.deadline?.toISOString() ?? null,
      updatedAt: row.updatedAt.toISOString(),
      error: row.error ? row.error.slice(0, 300) : null,
      waitReason: this.deps.explainWait(row),
    };
  }
}
