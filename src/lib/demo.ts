// The public demo's snapshot (GET /api/demo/snapshot): a redacted projection of the mesh for
// signed-out visitors. It carries no names of people or machines, no titles, prompts, outputs,
// errors or tokens; only what a read-only status board needs.
import { LIMITS } from './limits';
import type { TaskStatus } from './tasks';

export interface DemoAgent {
  /** The agent's slug id (e.g. `rex`); its display name and machine stay private. */
  id: string;
  status: string;
  kind: string;
  slotsUsed: number;
  slotsTotal: number;
}

export interface DemoTask {
  status: TaskStatus;
  /** The agent holding it, when assigned. */
  agentId: string | null;
  updatedAt: string;
}

export interface DemoSnapshot {
  generatedAt: string;
  agents: DemoAgent[];
  /** Every task status with its count (zero included). */
  taskCounts: Record<TaskStatus, number>;
  /** The most recently changed tasks, newest first. */
  recentTasks: DemoTask[];
}

/** How many recent tasks the snapshot lists. */
export const DEMO_RECENT_TASKS = 20;
export const DEMO_REQUESTS_PER_MINUTE = LIMITS.demoRequestsPerMinute;
