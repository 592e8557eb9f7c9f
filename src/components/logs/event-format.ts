// How the logs page reads a live event: its colour family, the agents it concerns (for the agent
// filter), and a one-line summary. Unknown or newer event types still get a line from the payload.
import type { EventPayloads, EventType, StreamItem, TaskEventView } from '@/lib/events';

export type Tone = 'amber' | 'emerald' | 'purple' | 'red' | 'neutral';

/** Failures first, then the family by prefix: tasks amber, agents emerald, approvals and escalations purple. */
export function toneOf(event: StreamItem): Tone {
  if (event.type.endsWith('_failed') || event.type === 'agent_offline' || event.type === 'resync' || event.type === 'alert_sent') return 'red';
  if (event.type === 'breaker_changed') return event.payload.state === 'open' ? 'red' : 'emerald';
  if (event.type.startsWith('task_')) return 'amber';
  if (event.type.startsWith('agent_')) return 'emerald';
  if (event.type.startsWith('approval_') || event.type.startsWith('escalation_')) return 'purple';
  return 'neutral';
}

export const TYPE_FAMILIES = [
  { id: 'task', label: 'Tasks (task_*)' },
  { id: 'agent', label: 'Agents (agent_*, breakers)' },
  { id: 'approval', label: 'Approvals & escalations' },
  { id: 'error', label: 'Errors & failures' },
] as const;
export type TypeFamily = (typeof TYPE_FAMILIES)[number]['id'];

export function inFamily(event: StreamItem, family: TypeFamily): boolean {
  switch (family) {
    case 'task':
      return event.type.startsWith('task_');
    case 'agent':
      return event.type.startsWith('agent_') || event.type === 'breaker_changed';
    case 'approval':
      return event.type.startsWith('approval_') || event.type.startsWith('escalation_');
    case 'error':
      return toneOf(event) === 'red';
  }
}

// Payload fields that name an agent, across event types (task events say assignedTo, a handoff
// fromAgentId, an escalation both ends).
const AGENT_FIELDS = ['agentId', 'assignedTo', 'fromAgentId', 'fromAgent', 'toAgent'] as const;

export function agentsOf(event: StreamItem): string[] {
  const payload = event.payload as unknown as Record<string, unknown>;
  const ids = AGENT_FIELDS.map((field) => payload[field]).filter((value): value is string => typeof value === 'string' && value.length > 0);
  if (event.type === 'message_posted' && event.payload.senderType === 'agent') ids.push(event.payload.sender);
  return [...new Set(ids)];
}

const SUMMARY_TEXT_LIMIT = 160;

function clip(text: string, limit = SUMMARY_TEXT_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

const task = (view: TaskEventView) => `${view.taskId} "${clip(view.title, 60)}"`;
const on = (agentId: string | null) => (agentId ? ` on ${agentId}` : '');
const usd = (amount: number) => `$${amount.toFixed(amount > 0 && amount < 1 ? 4 : 2)}`;

// Partial on purpose: an event type added to the hub later falls back to its payload here
// rather than breaking this page's type check.
const SUMMARIES: { [K in EventType]?: (payload: EventPayloads[K]) => string } = {
  resync: (payload) => `events were lost (${payload.reason.replaceAll('_', ' ')}); views were refreshed`,
  user_created: (payload) => `user ${payload.username} created (role ${payload.role})`,
  user_updated: (payload) => `user ${payload.username} updated (role ${payload.role}${payload.disabled ? ', disabled' : ''})`,
  token_created: (payload) => `token ${payload.tokenId} created for ${payload.agentId} (preset ${payload.preset})`,
  token_revoked: (payload) => `token ${payload.tokenId} of ${payload.agentId} revoked`,
  agent_online: (payload) => `${payload.agentId} online (${payload.name}, ${payload.kind})`,
  agent_offline: (payload) => `${payload.agentId} offline (${payload.reason.replaceAll('_', ' ')})`,
  agent_updated: (payload) => `${payload.agentId} ${payload.status}, ${payload.activeTasks}/${payload.maxConcurrent} slots busy`,
  task_created: (payload) => `${task(payload)} priority ${payload.priority}${payload.requiredCapability ? `, needs ${payload.requiredCapability}` : ''}`,
  task_assigned: (payload) => `${task(payload)} → ${payload.assignedTo ?? 'nobody'}`,
  task_claimed: (payload) => `${task(payload)} running${on(payload.assignedTo)} (attempt ${payload.attempt})`,
  task_stream: (payload) => `${payload.taskId} ${payload.agentId}: ${clip(payload.content)}`,
  task_completed: (payload) => `${task(payload)} done${on(payload.assignedTo)}`,
  task_failed: (payload) => `${task(payload)} failed${on(payload.assignedTo)}${payload.error ? `: ${clip(payload.error)}` : ''}`,
  task_requeued: (payload) => `${task(payload)} back in the queue (${payload.reason.replaceAll('_', ' ')})`,
  task_cancelled: (payload) => `${task(payload)} cancelled`,
  task_handoff: (payload) => `${payload.taskId} handed off by ${payload.fromAgentId}; continues as ${payload.continuationTaskId}`,
  task_urgency_raised: (payload) => `${task(payload)} urgency ${payload.urgency}, priority ${payload.priority}`,
  breaker_changed: (payload) => `${payload.agentId} breaker ${payload.state.replaceAll('_', '-')} (${payload.consecutiveFailures} consecutive failures)`,
  escalation_created: (payload) => `${payload.fromAgent} → ${payload.toAgent}: ${clip(payload.reason)}`,
  escalation_updated: (payload) => `escalation ${payload.escalationId} ${payload.status}`,
  approval_created: (payload) => `${payload.agentId} asks to ${payload.action}: ${clip(payload.description)}`,
  approval_decided: (payload) => `approval ${payload.approvalId} ${payload.status}${payload.decidedBy ? ` by ${payload.decidedBy}` : ''}`,
  context_updated: (payload) => `${payload.key} = ${clip(payload.value)} (by ${payload.setBy})`,
  context_deleted: (payload) => `${payload.key} deleted`,
  message_posted: (payload) => `#${payload.channel} ${payload.sender}: ${clip(payload.content)}`,
  cost_logged: (payload) =>
    `${payload.agentId} ${payload.model} ${payload.inputTokens}+${payload.outputTokens} tokens ${usd(payload.costUsd)}${payload.taskId ? ` (task ${payload.taskId})` : ''}`,
  alert_sent: (payload) => `${payload.kind}: ${clip(payload.title)}`,
};

export function summarize(event: StreamItem): string {
  const line = SUMMARIES[event.type] as ((payload: unknown) => string) | undefined;
  try {
    if (line) return line(event.payload);
  } catch {
    // A payload shaped differently than expected (a newer hub) still gets a line below.
  }
  return clip(JSON.stringify(event.payload ?? {}));
}
