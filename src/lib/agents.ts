// Input schemas of the agents.* procedures.
import { z } from 'zod';
import { LIMITS } from './limits';
import { agentIdSchema } from './schemas';

export const AGENT_KINDS = ['desktop', 'mobile', 'commander'] as const;
export const AGENT_STATUSES = ['online', 'busy', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const capabilitySchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must match [a-z0-9_-]{1,64}');
const capabilities = z.array(capabilitySchema).max(64);

/**
 * A worker process's instance id: new at every process start. Registering a new instance of an
 * agent releases what the previous one held; a claim from a replaced instance is refused.
 */
export const instanceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must match [A-Za-z0-9_-]{8,64}');

export const agentsRegisterInput = z.object({
  instanceId: instanceIdSchema.optional(),
  id: agentIdSchema,
  name: z.string().min(1).max(LIMITS.labelLength),
  machine: z.string().max(LIMITS.labelLength).default(''),
  kind: z.enum(AGENT_KINDS).default('desktop'),
  capabilities: capabilities.default([]),
  /** 0 for a commander: it is never given work. */
  maxConcurrent: z.number().int().min(0).max(256).default(1),
});

export const agentsHeartbeatInput = z.object({
  agentId: agentIdSchema,
  loadAverage: z.number().min(0).max(10_000).optional(),
  instanceId: instanceIdSchema.optional(),
  /**
   * Tasks this instance is running now: each counts as progress for the zombie sweeper, and a
   * running attempt of the agent that is not listed (and older than a short grace) is released.
   */
  activeTaskIds: z.array(z.string().min(1).max(64)).max(256).default([]),
  /** Set while the worker's load gate holds it back from claiming; the hub assigns it nothing meanwhile. */
  claimingPaused: z.object({ reason: z.string().min(1).max(200) }).nullable().default(null),
});

/** A graceful stop: the agent is offline at once and what it still holds goes back to the queue. */
export const agentsGoOfflineInput = z.object({
  agentId: agentIdSchema,
  instanceId: instanceIdSchema.optional(),
});

export const agentsGetInput = z.object({ agentId: agentIdSchema });

export const agentsUpdateInput = z.object({
  agentId: agentIdSchema,
  name: z.string().min(1).max(LIMITS.labelLength).optional(),
  machine: z.string().max(LIMITS.labelLength).optional(),
  capabilities: capabilities.optional(),
  maxConcurrent: z.number().int().min(0).max(256).optional(),
  /** null returns the agent to the hub's default budget. */
  dailyTokenBudget: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
});
