// One short line per live event type, for `mesh tail` and the progress notes of `task --wait`.
// The map is typed over every event type, so a new type fails the type check until it has a line.
import type { EventPayloads, EventType, MeshEvent, TaskEventView } from '../../src/lib/events';
import { formatUsd, truncate } from './format';

type Summaries = { [K in EventType]: (payload: EventPayloads[K]) => string };

const task = (view: TaskEventView) => `${view.taskId} "${truncate(view.title, 50)}"`;
const on = (agentId: string | null) => (agentId ? ` on ${agentId}` : '');

const SUMMARIES: Summaries = {
  resync: (payload) => `some events were lost (${payload.reason.replaceAll('_', ' ')}); refresh any view built from them`,
  user_created: (payload) => `user ${payload.username} created (role ${payload.role})`,
  user_updated: (payload) => `user ${payload.username} updated (role ${payload.role}${payload.disabled ? ', disabled' : ''})`,
  token_created: (payload) => `token ${payload.tokenId} created for agent ${payload.agentId} (preset ${payload.preset})`,
  token_revoked: (payload) => `token ${payload.tokenId} of agent ${payload.agentId} revoked`,
  api_key_created: (payload) => `API key "${payload.name}" created`,
  api_key_revoked: (payload) => `API key "${payload.name}" revoked`,
  webhook_created: (payload) => `webhook "${payload.name}" created`,
  webhook_deleted: (payload) => `webhook "${payload.name}" deleted`,
  webhook_received: (payload) => `webhook "${payload.name}" (${payload.source}${payload.event ? ` ${payload.event}` : ''}): ${payload.outcome}`,
  agent_online: (payload) => `${payload.agentId} online (${payload.kind})`,
  agent_offline: (payload) => `${payload.agentId} offline (${payload.reason.replaceAll('_', ' ')})`,
  agent_updated: (payload) => `${payload.agentId} ${payload.status}, ${payload.activeTasks}/${payload.maxConcurrent} slots busy`,
  task_created: (payload) => `${task(payload)} priority ${payload.priority}${payload.requiredCapability ? `, needs ${payload.requiredCapability}` : ''}`,
  task_assigned: (payload) => `${task(payload)} → ${payload.assignedTo ?? 'nobody'}`,
  task_claimed: (payload) => `${task(payload)} running${on(payload.assignedTo)} (attempt ${payload.attempt})`,
  task_stream: (payload) => `${payload.taskId} ${payload.agentId}: ${truncate(payload.content, 80)}`,
  task_completed: (payload) => `${task(payload)} done${on(payload.assignedTo)}`,
  task_failed: (payload) => `${task(payload)} failed${on(payload.assignedTo)}${payload.error ? `: ${truncate(payload.error, 80)}` : ''}`,
  task_requeued: (payload) => `${task(payload)} back in the queue (${payload.reason.replaceAll('_', ' ')})`,
  task_cancelled: (payload) => `${task(payload)} cancelled${payload.blockedBy ? ` (it depends on "${payload.blockedBy.title}")` : ''}`,
  task_dependencies_met: (payload) => `${task(payload)} ready: its ${payload.parentIds.length === 1 ? 'parent is' : `${payload.parentIds.length} parents are`} done`,
  pipeline_created: (payload) => `pipeline "${payload.name}" with ${payload.taskIds.length} steps`,
  template_created: (payload) => `template "${payload.name}" created`,
  template_updated: (payload) => `template "${payload.name}" updated`,
  template_deleted: (payload) => `template "${payload.name}" deleted`,
  task_handoff: (payload) => `${payload.taskId} handed off by ${payload.fromAgentId}; continues as ${payload.continuationTaskId}`,
  task_urgency_raised: (payload) => `${task(payload)} urgency ${payload.urgency}, priority ${payload.priority}`,
  breaker_changed: (payload) => `${payload.agentId} breaker ${payload.state.replaceAll('_', '-')} (${payload.consecutiveFailures} consecutive failures)`,
  escalation_created: (payload) => `${payload.fromAgent} → ${payload.toAgent}: ${truncate(payload.reason, 80)}`,
  escalation_updated: (payload) => `escalation ${payload.escalationId} ${payload.status}`,
  approval_created: (payload) => `${payload.agentId} asks to ${payload.action}: ${truncate(payload.description, 60)} (approval ${payload.approvalId})`,
  approval_decided: (payload) => `approval ${payload.approvalId} ${payload.status}${payload.decidedBy ? ` by ${payload.decidedBy}` : ''}`,
  context_updated: (payload) => `${payload.key} = ${truncate(payload.value, 60)} (by ${payload.setBy})`,
  context_deleted: (payload) => `${payload.key} deleted`,
  message_posted: (payload) => `#${payload.channel} ${payload.sender}: ${truncate(payload.content, 80)}`,
  cost_logged: (payload) =>
    `${payload.agentId} ${payload.model} ${payload.inputTokens}+${payload.outputTokens} tokens ${formatUsd(payload.costUsd)}${payload.taskId ? ` (task ${payload.taskId})` : ''}`,
  alert_sent: (payload) => `${payload.kind}: ${truncate(payload.title, 80)}`,
  memory_stored: (payload) => `${payload.agentId} ${payload.created ? 'remembered' : 'updated'} ${payload.key}`,
  memory_deleted: (payload) => `${payload.agentId} forgot ${payload.key}`,
  memory_consolidated: (payload) => `${payload.agentId}: ${payload.changes} memory change(s) by consolidation`,
  plugin_invoked: (payload) => `${payload.tool} by ${payload.agentId ?? 'an operator'}: ${payload.ok ? 'ok' : (payload.error ?? 'error')}`,
  plugin_updated: (payload) => `plugin ${payload.name} ${payload.enabled ? 'enabled' : 'disabled'}${payload.reason === 'hook_failed' ? ' (a hook failed)' : ''}`,
};

/** Every event type the hub sends, for checking `tail --types`. */
export const EVENT_TYPES = Object.keys(SUMMARIES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(SUMMARIES, value);
}

/** A short human summary; an event type this CLI does not know (a newer hub) shows its payload. */
export function summarizeEvent(event: MeshEvent): string {
  const summarize = SUMMARIES[event.type] as ((payload: unknown) => string) | undefined;
  if (!summarize) return truncate(JSON.stringify(event.payload ?? {}), 100);
  try {
    return summarize(event.payload);
  } catch {
    // A payload shaped differently than this CLI expects (version skew) still gets a line.
    return truncate(JSON.stringify(event.payload ?? {}), 100);
  }
}
