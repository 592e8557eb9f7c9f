// Output shape of inbox.get: what needs the operator first (shared by the dashboard and any door).
import type { WaitReason, WaitReasonKind } from './wait-reasons';

/** How many items of each kind the inbox lists (the counts cover all of them). */
export const INBOX_ITEMS_PER_KIND = 20;

/** A failed task counts as needing attention for this long. */
export const INBOX_FAILED_WINDOW_HOURS = 24;

/** Reasons that need the operator (an agent to start, a capability to add, a breaker or budget to look at); busy or paused agents clear on their own. */
export const CANNOT_RUN_REASONS: readonly WaitReasonKind[] = ['no_capable_agent', 'agent_offline', 'breaker_open', 'budget_spent'];

export interface InboxTask {
  id: string;
  title: string;
  status: string;
  assignedTo: string | null;
  requiredCapability: string | null;
  deadline: string | null;
  updatedAt: string;
  error: string | null;
  waitReason: WaitReason | null;
}

export interface InboxApproval {
  id: string;
  agentId: string;
  action: string;
  description: string;
  expiresAt: string;
  createdAt: string;
}

export interface InboxEscalation {
  id: string;
  fromAgent: string;
  toAgent: string;
  taskId: string | null;
  reason: string;
  createdAt: string;
}

export interface Inbox {
  approvals: InboxApproval[];
  escalations: InboxEscalation[];
  failed: InboxTask[];
  overdue: InboxTask[];
  cannotRun: InboxTask[];
  counts: { approvals: number; escalations: number; failed: number; overdue: number; cannotRun: number; total: number };
  /** Whether this principal may approve or reject (operators with tasks:write; never an agent token or a viewer). */
  canDecide: boolean;
}
