// Input schema and result shapes of the analytics.* procedures (spec section 22: tasks, costs,
// agents, summary), shared by the hub and the analytics page.
import { z } from 'zod';
import type { TaskStatus } from './tasks';

export const ANALYTICS_MAX_DAYS = 90;
export const ANALYTICS_DEFAULT_DAYS = 7;

/**
 * days: the window is today (UTC) and the `days - 1` days before it, as in costs.summary, so
 * the charts' day buckets line up with the cost rollup's. Omitted input means 7 days.
 */
export const analyticsInput = z
  .object({ days: z.number().int().min(1).max(ANALYTICS_MAX_DAYS).default(ANALYTICS_DEFAULT_DAYS) })
  .default({ days: ANALYTICS_DEFAULT_DAYS });
export type AnalyticsInput = z.input<typeof analyticsInput>;

export interface AnalyticsWindow {
  days: number;
  /** 00:00 UTC of the window's first day. */
  since: string;
  /** The hub's clock when the figures were taken: the window's end. */
  until: string;
}

export type StatusCounts = Record<TaskStatus, number>;

export interface TaskDayCounts {
  /** YYYY-MM-DD, UTC */
  day: string;
  /** Tasks created that day. */
  created: number;
  /** Tasks that finished that day, by how they finished (throughput). */
  done: number;
  failed: number;
  cancelled: number;
}

export interface TaskAnalytics extends AnalyticsWindow {
  /** Tasks created in the window. */
  total: number;
  /** Tasks created in the window, by their current status. */
  byStatus: StatusCounts;
  /** Tasks created in the window by the agent they are (or were last) assigned to; most first. `agentId` null: never assigned. */
  byAgent: { agentId: string | null; total: number; byStatus: StatusCounts }[];
  /** Every day of the window, oldest first, empty days as zeros. */
  byDay: TaskDayCounts[];
  /** Tasks created in the window by required capability; `capability` null: any agent. Most first. */
  byCapability: { capability: string | null; total: number; done: number; failed: number }[];
}

export interface CostAnalytics extends AnalyticsWindow {
  totalCostUsd: number;
  todayCostUsd: number;
  /** Most expensive first. */
  byAgent: {
    agentId: string;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    /** Distinct tasks with logged usage in the window. */
    tasks: number;
    /** Cost logged against tasks divided by `tasks`; null without tasks. */
    avgCostPerTaskUsd: number | null;
  }[];
  /** Every day of the window, oldest first. */
  byDay: { day: string; costUsd: number; inputTokens: number; outputTokens: number }[];
}

export interface AgentAnalyticsRow {
  agentId: string;
  name: string;
  status: string;
  /** Time online or busy in the window divided by the window's length, 0–100, one decimal. */
  uptimePercent: number;
  upSeconds: number;
  /** Tasks created in the window and assigned to this agent. */
  totalTasks: number;
  doneTasks: number;
  failedTasks: number;
  /** Entries in the agent's memory now. */
  memoryCount: number;
}

export interface AgentAnalytics extends AnalyticsWindow {
  windowSeconds: number;
  /** By agent id. */
  agents: AgentAnalyticsRow[];
}

export interface AnalyticsSummary extends AnalyticsWindow {
  tasks: {
    total: number;
    done: number;
    failed: number;
    /** done / (done + failed) in percent, one decimal; null when nothing finished. */
    successRatePercent: number | null;
    /** Assigned or running now (whenever created). */
    active: number;
    /** Queued now (whenever created). */
    queued: number;
  };
  costs: { totalCostUsd: number; todayCostUsd: number };
  agents: {
    total: number;
    online: number;
    busy: number;
    offline: number;
    /** Mean of the agents' uptime in the window; null without agents. */
    averageUptimePercent: number | null;
  };
  memoryCount: number;
}
