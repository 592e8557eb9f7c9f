// The escalation chain: after repeated failures the task engine escalates an agent's problem
// to the next link of MESH_ESCALATION_CHAIN (e.g. rex → archon → operator); an operator or the
// addressed agent acknowledges and resolves it. Changes publish escalation_created /
// escalation_updated (tasks:read, scoped to the escalating agent).
import { OPERATOR, type EscalationStatus } from '@/lib/escalations';
import { newId } from '@/lib/ids';
import { LIMITS, describeLimit, utf8Bytes } from '@/lib/limits';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { Principal } from '../auth/principal';

export interface EscalationView {
  id: string;
  fromAgent: string;
  toAgent: string;
  taskId: string | null;
  reason: string;
  status: EscalationStatus;
  createdAt: string;
  updatedAt: string;
}

export interface EscalationServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  /** The chain, ending with the operator (config.escalationChain). */
  escalationChain: readonly string[];
  /**
   * Called after an escalation is committed and published (the alert service's hook). Not
   * awaited: a slow or failing alert channel must never delay or fail the task engine.
   */
  onCreated?: (escalation: EscalationView) => void | Promise<void>;
}

/**
 * Whom `fromAgent` escalates to: the link after it in the chain; an agent not in the chain
 * goes to the last link; the last link itself goes to the operator (so an escalation never
 * addresses the agent that raised it).
 */
export function nextEscalationTarget(chain: readonly string[], fromAgent: string): string {
  const last = chain[chain.length - 1] ?? OPERATOR;
  const index = chain.indexOf(fromAgent);
  if (index >= 0 && index < chain.length - 1) return chain[index + 1]!;
  return fromAgent === last ? OPERATOR : last;
}

type EscalationRow = {
  id: string;
  fromAgent: string;
  toAgent: string;
  taskId: string | null;
  reason: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
};

function toView(row: EscalationRow): EscalationView {
  return {
    id: row.id,
    fromAgent: row.fromAgent,
    toAgent: row.toAgent,
    taskId: row.taskId,
    reason: row.reason,
    status: row.status as EscalationStatus,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Which states each change may start from: open → acknowledged → resolved, or open → resolved. */
const ALLOWED_FROM: Record<'acknowledged' | 'resolved', EscalationStatus[]> = {
  acknowledged: ['open'],
  resolved: ['open', 'acknowledged'],
};

export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {}

  /** Raised by the task engine when an agent fails repeatedly (hub code, not a request). */
  async escalate(input: { fromAgent: string; taskId: string | null; reason: string }): Promise<EscalationView> {
    if (utf8Bytes(input.reason) > LIMITS.messageBytes) {
      throw new AppError('limit_exceeded', `reason: exceeds the ${describeLimit('messageBytes')} limit (messageBytes)`, {
        field: 'reason',
        limit: 'messageBytes',
      });
    }
    const toAgent = nextEscalationTarget(this.deps.escalationChain, input.fromAgent);
    const now = this.deps.clock.now();
    const row = await this.deps.db.escalation.create({
      data: {
        id: newId(now.getTime()),
        fromAgent: input.fromAgent,
        toAgent,
        taskId: input.taskId,
        reason: input.reason,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      },
    });
    const view = toView(row);
    await this.deps.events.publish(
      'escalation_created',
      { escalationId: view.id, fromAgent: view.fromAgent, toAgent, taskId: view.taskId, reason: view.reason },
      { permission: 'tasks:read', agentId: view.fromAgent },
    );
    if (this.deps.onCreated) {
      // The escalation is committed either way; an alert failure is the alert service's to report.
      Promise.resolve()
        .then(() => this.deps.onCreated?.(view))
        .catch(() => undefined);
    }
    return view;
  }

  /**
   * Newest first. An agent token sees the escalations it raised or that are addressed to it;
   * users and the master see all.
   */
  async list(principal: Principal, filter: { status?: EscalationStatus } = {}): Promise<EscalationView[]> {
    const rows = await this.deps.db.escalation.findMany({
      where: {
        status: filter.status,
        ...(principal.kind === 'agent' ? { OR: [{ fromAgent: principal.agentId }, { toAgent: principal.agentId }] } : {}),
      },
      orderBy: { id: 'desc' },
      take: LIMITS.listRows,
    });
    return rows.map(toView);
  }

  acknowledge(principal: Principal, escalationId: string): Promise<EscalationView> {
    return this.transition(principal, escalationId, 'acknowledged');
  }

  resolve(principal: Principal, escalationId: string): Promise<EscalationView> {
    return this.transition(principal, escalationId, 'resolved');
  }

  private async transition(principal: Principal, escalationId: string, status: 'acknowledged' | 'resolved'): Promise<EscalationView> {
    const existing = await this.deps.db.escalation.findUnique({ where: { id: escalationId }, select: { fromAgent: true, toAgent: true } });
    if (!existing) throw notFound('escalation');
    // An agent token acts only as its own agent: on escalations it raised or that address it.
    if (principal.kind === 'agent' && principal.agentId !== existing.fromAgent && principal.agentId !== existing.toAgent) {
      throw forbidden('an agent token can update only escalations from or to its own agent');
    }
    // Conditional update: of two concurrent changes from the same state, only one succeeds.
    const result = await this.deps.db.escalation.updateMany({
      where: { id: escalationId, status: { in: ALLOWED_FROM[status] } },
      data: { status, updatedAt: this.deps.clock.now() },
    });
    const row = await this.deps.db.escalation.findUniqueOrThrow({ where: { id: escalationId } });
    if (result.count === 0) throw conflict(`escalation is ${row.status}; cannot mark it ${status}`);
    const view = toView(row);
    await this.deps.events.publish(
      'escalation_updated',
      { escalationId: view.id, status },
      { permission: 'tasks:read', agentId: view.fromAgent },
    );
    return view;
  }
}
