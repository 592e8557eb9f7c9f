// Why a task is not running, computed from the dispatcher's in-memory MeshCapacity and the task
// row alone (no query), so tasks.list can explain every queued task of a page cheaply. It follows
// the dispatcher's own eligibility rules (MeshCapacity.blocker), so the reason says what dispatch sees.
import type { WaitReason } from '@/lib/wait-reasons';
import type { AgentBlocker, AgentCapacity, MeshCapacity } from './mesh-capacity';

/** The task columns a reason depends on. */
export interface WaitingTask {
  status: string;
  requiredCapability: string | null;
  /** The preferred agent (a preference: dispatch falls through to others when it cannot take it). */
  assignTo: string | null;
  assignedTo: string | null;
  /** The first unfinished dependency, when the task has any (task graphs). */
  unfinishedParent?: { id: string; title: string | null } | null;
}

/** Agents dispatch could ever give this task: workers (not commanders) with slots and the capability. */
function candidatesFor(capacity: MeshCapacity, capability: string | null): AgentCapacity[] {
  return capacity.all().filter((agent) => agent.kind !== 'commander' && agent.maxConcurrent > 0 && (!capability || agent.capabilities.has(capability)));
}

export function waitReasonFor(task: WaitingTask, capacity: MeshCapacity, now: Date): WaitReason | null {
  if (task.status === 'assigned' && task.assignedTo) return { kind: 'awaiting_claim', agentId: task.assignedTo };
  if (task.status !== 'queued') return null;
  if (task.unfinishedParent) return { kind: 'waiting_for_parent', parentId: task.unfinishedParent.id, parentTitle: task.unfinishedParent.title };

  const candidates = candidatesFor(capacity, task.requiredCapability);
  const online = candidates.filter((agent) => agent.status !== 'offline');
  if (online.length === 0) {
    const preferred = task.assignTo ? candidates.find((agent) => agent.id === task.assignTo) : undefined;
    const offline = preferred ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (offline) return { kind: 'agent_offline', agentId: offline.id, agentName: offline.name };
    return { kind: 'no_capable_agent', capability: task.requiredCapability };
  }

  const held = new Map<AgentBlocker, AgentCapacity[]>();
  for (const agent of online) {
    const blocker = capacity.blocker(agent, now);
    if (blocker === null) return { kind: 'dispatching' };
    held.set(blocker, [...(held.get(blocker) ?? []), agent]);
  }
  const ids = (agents: AgentCapacity[] | undefined) => (agents ?? []).map((agent) => agent.id);
  if (held.size === 1) {
    const [[blocker, agents]] = [...held.entries()] as [[AgentBlocker, AgentCapacity[]]];
    switch (blocker) {
      case 'busy':
        return {
          kind: 'all_busy',
          busySlots: agents.reduce((sum, agent) => sum + agent.activeTasks, 0),
          totalSlots: agents.reduce((sum, agent) => sum + agent.maxConcurrent, 0),
        };
      case 'breaker_open':
        return { kind: 'breaker_open', agentIds: ids(agents) };
      case 'budget_spent':
        return { kind: 'budget_spent', agentIds: ids(agents) };
      case 'claiming_paused':
        return { kind: 'claiming_paused', agentIds: ids(agents), reason: agents[0]!.claimingPaused ?? 'load' };
      default:
        break;
    }
  }
  return {
    kind: 'no_free_agent',
    busy: held.get('busy')?.length ?? 0,
    breakerOpen: held.get('breaker_open')?.length ?? 0,
    budgetSpent: held.get('budget_spent')?.length ?? 0,
    claimingPaused: held.get('claiming_paused')?.length ?? 0,
  };
}
