// Live event types shared by the hub, the UI, the worker and the daemon. Type names are
// snake_case (the spec's where it names them). Each event carries the permission a
// subscriber needs and, when it concerns one agent, that agent's id.
import { z } from 'zod';
import type { Permission } from './permissions';

export interface EventPayloads {
  /**
   * Sent to a subscriber that lost events (slow reader, or a gap past retention), or as the last
   * item of a stream the hub closes: `stream_limit` when the same principal opened more streams
   * than LIMITS.eventStreamsPerPrincipal and this, its oldest, was closed.
   */
  resync: { reason: 'queue_overflow' | 'history_gap' | 'stream_limit' };
  user_created: { userId: string; username: string; role: string };
  user_updated: { userId: string; username: string; role: string; disabled: boolean };
  token_created: { tokenId: string; agentId: string; preset: string };
  token_revoked: { tokenId: string; agentId: string };
  api_key_created: { keyId: string; name: string };
  api_key_revoked: { keyId: string; name: string };
  webhook_created: { webhookId: string; name: string };
  webhook_deleted: { webhookId: string; name: string };
  /** An inbound webhook request and what the hub did with it (never the payload or the secret). */
  webhook_received: { webhookId: string; name: string; deliveryId: string; source: string; event: string; outcome: string; status: number; taskId: string | null; messageId: string | null };

  agent_online: { agentId: string; name: string; kind: string };
  agent_offline: { agentId: string; reason: 'heartbeat_timeout' | 'deregistered' };
  agent_updated: AgentEventView;

  task_created: TaskEventView;
  task_assigned: TaskEventView;
  task_claimed: TaskEventView & { attemptId: string; attempt: number };
  task_stream: { taskId: string; attemptId: string; agentId: string; content: string; truncatedBefore: boolean };
  task_completed: TaskEventView & { attemptId: string | null };
  task_failed: TaskEventView & { attemptId: string | null; error: string | null };
  task_requeued: TaskEventView & { reason: RequeueReason };
  /** `blockedBy`: the parent whose failure or cancellation cancelled this waiting task. */
  task_cancelled: TaskEventView & { blockedBy?: { taskId: string; title: string } };
  /** The last parent of a waiting task is done: its prompt now holds their outputs and it can be dispatched. */
  task_dependencies_met: TaskEventView & { parentIds: string[] };
  pipeline_created: { pipelineId: string; name: string; taskIds: string[] };
  template_created: { templateId: string; name: string };
  template_updated: { templateId: string; name: string };
  template_deleted: { templateId: string; name: string };
  task_handoff: { taskId: string; continuationTaskId: string; fromAgentId: string };
  task_urgency_raised: TaskEventView;

  breaker_changed: { agentId: string; state: 'closed' | 'open' | 'half_open'; consecutiveFailures: number };

  escalation_created: { escalationId: string; fromAgent: string; toAgent: string; taskId: string | null; reason: string };
  escalation_updated: { escalationId: string; status: 'open' | 'acknowledged' | 'resolved' };

  approval_created: { approvalId: string; agentId: string; action: string; description: string; expiresAt: string };
  approval_decided: { approvalId: string; agentId: string; status: 'approved' | 'rejected' | 'expired'; decidedBy: string | null };

  context_updated: { key: string; value: string; setBy: string };
  context_deleted: { key: string };

  message_posted: { messageId: string; sender: string; senderType: 'user' | 'agent' | 'system'; channel: string; content: string; replyTo: string | null };

  cost_logged: { agentId: string; taskId: string | null; model: string; inputTokens: number; outputTokens: number; costUsd: number };
  alert_sent: { kind: string; title: string };

  /** Agent memory: the agent and the key, never the value (the event log is in the same file). */
  memory_stored: { agentId: string; key: string; source: 'agent' | 'operator' | 'consolidation'; created: boolean };
  memory_deleted: { agentId: string; key: string };
  memory_consolidated: { runId: string; agentId: string; changes: number };
  /** A plugin tool ran (spec 17). Never its arguments or result: they can hold secrets or paths. */
  plugin_invoked: { tool: string; plugin: string; agentId: string | null; ok: boolean; error: string | null };
  /** A plugin was enabled or disabled (by an admin, or by the hub after its hook threw). */
  plugin_updated: { name: string; enabled: boolean; status: string; reason: 'admin' | 'hook_failed' };
}

/**
 * Why a task went back to the queue: the worker reported a failure; no progress (zombie sweeper);
 * its agent went offline or stopped; a new worker process replaced the one running it; the
 * worker's heartbeat no longer listed it; an operator retried it; an operator retried the parent
 * whose failure had cancelled it (it waits again).
 */
export type RequeueReason = 'worker_failure' | 'zombie' | 'agent_offline' | 'instance_replaced' | 'not_held' | 'retry' | 'parent_retried';

/** What task events carry: enough for a board, never the prompt or the output. */
export interface TaskEventView {
  taskId: string;
  title: string;
  status: string;
  priority: number;
  urgency: string;
  assignedTo: string | null;
  requiredCapability: string | null;
}

export interface AgentEventView {
  agentId: string;
  name: string;
  status: string;
  activeTasks: number;
  maxConcurrent: number;
}

export type EventType = keyof EventPayloads;

export interface EventScope {
  permission: Permission;
  /** The agent the event concerns; agent tokens see only their own agent's scoped events. */
  agentId?: string | null;
}

export interface MeshEvent<TType extends EventType = EventType> {
  id: number;
  type: TType;
  /** ISO timestamp */
  ts: string;
  payload: EventPayloads[TType];
}

export const EVENT_TYPES = [
  'resync',
  'user_created',
  'user_updated',
  'token_created',
  'token_revoked',
  'api_key_created',
  'api_key_revoked',
  'webhook_created',
  'webhook_deleted',
  'webhook_received',
  'agent_online',
  'agent_offline',
  'agent_updated',
  'task_created',
  'task_assigned',
  'task_claimed',
  'task_stream',
  'task_completed',
  'task_failed',
  'task_requeued',
  'task_cancelled',
  'task_dependencies_met',
  'pipeline_created',
  'template_created',
  'template_updated',
  'template_deleted',
  'task_handoff',
  'task_urgency_raised',
  'breaker_changed',
  'escalation_created',
  'escalation_updated',
  'approval_created',
  'approval_decided',
  'context_updated',
  'context_deleted',
  'message_posted',
  'cost_logged',
  'alert_sent',
  'memory_stored',
  'memory_deleted',
  'memory_consolidated',
  'plugin_invoked',
  'plugin_updated',
] as const satisfies readonly EventType[];

// Fails to compile when an event type is missing from EVENT_TYPES.
const everyEventTypeListed: Record<EventType, true> = Object.fromEntries(EVENT_TYPES.map((type) => [type, true])) as Record<(typeof EVENT_TYPES)[number], true>;
void everyEventTypeListed;

/** What the stream delivers: a mesh event, or the resync marker (id 0: not resumable). */
export type StreamItem = { [K in EventType]: MeshEvent<K> }[EventType];

/**
 * events.stream input. tRPC's SSE link sends `lastEventId` on reconnect; the hub replays what was
 * missed. `types` limits the stream to those event types (a worker needs only a few), plus `resync`.
 */
export const eventsStreamInput = z
  .object({
    lastEventId: z.string().regex(/^\d{1,15}$/, 'must be an event id').nullish(),
    types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
  })
  .optional();

/** events.history: the event log paged backwards (newest first), for the Logs page. */
export const EVENT_HISTORY_PAGE = { default: 100, max: 200 } as const;
export const eventsHistoryInput = z
  .object({
    /** Events older than this id; omitted: the newest. */
    beforeId: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(EVENT_HISTORY_PAGE.max).default(EVENT_HISTORY_PAGE.default),
    types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
    /** Matches the type or anywhere in the payload (case-insensitive for ASCII). */
    text: z.string().min(1).max(200).optional(),
  })
  .default({ limit: EVENT_HISTORY_PAGE.default });

/**
 * The hub's keepalive interval on the dashboard's stream (events.stream). The web app counts a
 * stream silent for about three of them as dead (src/components/live/stream-health.ts), so an
 * outage shows within 5 s even when a loaded machine delays its timers by a second or more.
 */
export const SSE_KEEPALIVE_MS = 1_000;
/** Clients (tRPC's link) reconnect after this long without an event or a keepalive. */
export const SSE_RECONNECT_AFTER_SILENCE_MS = 6_000;
