// Input schemas of the costs.* procedures: token usage logged outside a task report, and the
// cost summary (the spec's analytics "costs" rollup: by agent, by day).
import { z } from 'zod';
import { agentIdSchema } from './schemas';

export const COST_SUMMARY_MAX_DAYS = 90;

export const costsLogInput = z.object({
  /** Optional for an agent token (it logs for its own agent); required from users and the master. */
  agentId: agentIdSchema.optional(),
  taskId: z.string().min(1).max(64).optional(),
  model: z.string().min(1).max(128),
  inputTokens: z.number().int().min(0).max(100_000_000),
  outputTokens: z.number().int().min(0).max(100_000_000),
  /** The worker's own figure, kept only for models missing from the hub's price table. */
  reportedCostUsd: z.number().min(0).max(100_000).optional(),
});
export type CostsLogInput = z.infer<typeof costsLogInput>;

/** days: the window is today (UTC) and the days before it, 1 to 90; default 7 (the spec's). */
export const costsSummaryInput = z
  .object({
    days: z.number().int().min(1).max(COST_SUMMARY_MAX_DAYS).default(7),
    agentId: agentIdSchema.optional(),
  })
  .optional();
export type CostsSummaryInput = z.infer<typeof costsSummaryInput>;
