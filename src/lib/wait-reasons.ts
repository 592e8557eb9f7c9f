// Why a queued task is not running yet: the reason's shape (computed by the hub from the
// dispatcher's capacity picture, src/server/tasks/wait-reasons.ts) and its one-line wording,
// shared by the API, the UI and the `mesh tasks --why` CLI. A new cause is one more case here.

export type WaitReason =
  /** A dependency has not finished (task graphs). */
  | { kind: 'waiting_for_parent'; parentId: string; parentTitle: string | null }
  /** No online agent offers the capability (null: no agent that takes work is online at all). */
  | { kind: 'no_capable_agent'; capability: string | null }
  /** The preferred agent, or the only capable agent, is offline. */
  | { kind: 'agent_offline'; agentId: string; agentName: string }
  /** Every capable online agent's slots are full. */
  | { kind: 'all_busy'; busySlots: number; totalSlots: number }
  | { kind: 'breaker_open'; agentIds: string[] }
  | { kind: 'budget_spent'; agentIds: string[] }
  | { kind: 'claiming_paused'; agentIds: string[]; reason: string }
  /** Capable agents are held back for different reasons. */
  | { kind: 'no_free_agent'; busy: number; breakerOpen: number; budgetSpent: number; claimingPaused: number }
  /** Assigned, waiting for the agent's worker to claim it. */
  | { kind: 'awaiting_claim'; agentId: string }
  /** An agent can take it: the next dispatch pass will. */
  | { kind: 'dispatching' };

export type WaitReasonKind = WaitReason['kind'];

function onAgents(agentIds: string[]): string {
  return agentIds.length === 1 ? `the only capable agent (${agentIds[0]})` : `all ${agentIds.length} capable agents`;
}

/** The reason in one line, as the card, the detail page and the CLI show it. */
export function describeWaitReason(reason: WaitReason): string {
  switch (reason.kind) {
    case 'waiting_for_parent':
      return `waiting for parent ${reason.parentTitle ? `"${reason.parentTitle}"` : reason.parentId}`;
    case 'no_capable_agent':
      return reason.capability ? `no online agent offers \`${reason.capability}\`` : 'no agent that takes work is online';
    case 'agent_offline':
      return `agent ${reason.agentName} is offline`;
    case 'all_busy':
      return `all capable agents are busy (${reason.busySlots}/${reason.totalSlots})`;
    case 'breaker_open':
      return `breaker open on ${onAgents(reason.agentIds)}`;
    case 'budget_spent':
      return `daily token budget spent on ${onAgents(reason.agentIds)}`;
    case 'claiming_paused':
      return `claiming paused (${reason.reason}) on ${onAgents(reason.agentIds)}`;
    case 'no_free_agent': {
      const parts = [
        reason.busy ? `${reason.busy} busy` : '',
        reason.breakerOpen ? `${reason.breakerOpen} breaker open` : '',
        reason.budgetSpent ? `${reason.budgetSpent} budget spent` : '',
        reason.claimingPaused ? `${reason.claimingPaused} claiming paused` : '',
      ].filter(Boolean);
      return `no capable agent is free (${parts.join(', ')})`;
    }
    case 'awaiting_claim':
      return `assigned to ${reason.agentId}, waiting for its worker to claim it`;
    case 'dispatching':
      return 'an agent can take it: being dispatched';
  }
}
