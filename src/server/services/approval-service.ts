// The approval queue: an agent asks before a risky action, an operator (a user or the master,
// never an agent token) approves or rejects, and unanswered requests expire. Every change
// publishes approval_created / approval_decided (tasks:read, scoped to the asking agent).
import type { ApprovalStatus, ApprovalsCreateInput } from '@/lib/approvals';
import { newId } from '@/lib/ids';
import { LIMITS } from '@/lib/limits';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { badInput, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { principalLabel, type Principal } from '../auth/principal';

export interface ApprovalServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export interface ApprovalView {
  id: string;
  agentId: string;
  action: string;
  description: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  timeoutSeconds: number;
  expiresAt: string;
  createdAt: string;
}

type ApprovalRow = {
  id: string;
  agentId: string;
  action: string;
  description: string;
  status: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  timeoutSeconds: number;
  expiresAt: Date;
  createdAt: Date;
};

function toView(row: ApprovalRow): ApprovalView {
  return {
    id: row.id,
    agentId: row.agentId,
    action: row.action,
    description: row.description,
    status: row.status as ApprovalStatus,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    timeoutSeconds: row.timeoutSeconds,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  /** An agent token asks for its own agent only; a user or the master names the agent. */
  async create(principal: Principal, input: ApprovalsCreateInput): Promise<ApprovalView> {
    let agentId: string;
    if (principal.kind === 'agent') {
      if (input.agentId !== undefined && input.agentId !== principal.agentId) {
        throw forbidden(`an agent token can create approvals only for its own agent (${principal.agentId})`);
      }
      agentId = principal.agentId;
    } else {
      if (input.agentId === undefined) throw badInput('agentId', 'required unless the caller is an agent token');
      agentId = input.agentId;
    }
    const now = this.deps.clock.now();
    const row = await this.deps.db.approval.create({
      data: {
        id: newId(now.getTime()),
        agentId,
        action: input.action,
        description: input.description,
        status: 'pending',
        timeoutSeconds: input.timeoutSeconds,
        expiresAt: new Date(now.getTime() + input.timeoutSeconds * 1000),
        createdAt: now,
      },
    });
    const view = toView(row);
    await this.deps.events.publish(
      'approval_created',
      { approvalId: view.id, agentId, action: view.action, description: view.description, expiresAt: view.expiresAt },
      { permission: 'tasks:read', agentId },
    );
    return view;
  }

  /**
   * Newest first. An agent token sees only its own agent's approvals, as on the event stream;
   * users and the master see every agent's.
   */
  async list(principal: Principal, filter: { status?: ApprovalStatus } = {}): Promise<ApprovalView[]> {
    const rows = await this.deps.db.approval.findMany({
      where: { status: filter.status, ...(principal.kind === 'agent' ? { agentId: principal.agentId } : {}) },
      orderBy: { id: 'desc' },
      take: LIMITS.listRows,
    });
    return rows.map(toView);
  }

  approve(principal: Principal, approvalId: string): Promise<ApprovalView> {
    return this.decide(principal, approvalId, 'approved');
  }

  reject(principal: Principal, approvalId: string): Promise<ApprovalView> {
    return this.decide(principal, approvalId, 'rejected');
  }

  /** Closes every pending approval whose expiry has passed (the approval-expiry sweeper). */
  async expireDue(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.deps.db.approval.findMany({
        where: { status: 'pending', expiresAt: { lte: now } },
        select: { id: true, agentId: true },
        orderBy: { expiresAt: 'asc' },
        take: LIMITS.listRows,
      });
      if (due.length === 0) return expired;
      for (const { id, agentId } of due) {
        // Conditional on still pending: an operator may have decided it since the query above.
        const result = await this.deps.db.approval.updateMany({ where: { id, status: 'pending' }, data: { status: 'expired', decidedAt: now } });
        if (result.count === 0) continue;
        await this.deps.events.publish(
          'approval_decided',
          { approvalId: id, agentId, status: 'expired', decidedBy: null },
          { permission: 'tasks:read', agentId },
        );
        expired += 1;
      }
    }
  }

  private async decide(principal: Principal, approvalId: string, status: 'approved' | 'rejected'): Promise<ApprovalView> {
    // The point of an approval is a human check on an agent, so no agent may decide one, its own or another's.
    if (principal.kind === 'agent') throw forbidden('only an operator can decide approvals');
    const now = this.deps.clock.now();
    const decidedBy = principalLabel(principal);
    // One conditional update: two operators deciding at once cannot both succeed, and a request
    // past its expiry cannot be approved in the moments before the sweeper closes it.
    const result = await this.deps.db.approval.updateMany({
      where: { id: approvalId, status: 'pending', expiresAt: { gt: now } },
      data: { status, decidedBy, decidedAt: now },
    });
    const row = await this.deps.db.approval.findUnique({ where: { id: approvalId } });
    if (!row) throw notFound('approval');
    if (result.count === 0) {
      throw conflict(row.status === 'pending' ? 'approval has expired' : `approval is already ${row.status}`);
    }
    const view = toView(row);
    await this.deps.events.publish(
      'approval_decided',
      { approvalId: view.id, agentId: view.agentId, status, decidedBy },
      { permission: 'tasks:read', agentId: view.agentId },
    );
    return view;
  }
}
