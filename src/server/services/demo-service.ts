// The public demo's data: a redacted projection of agents and tasks. The selects name only the
// columns the demo may show, so nothing private can leak through a later change to a view.
import { DEMO_RECENT_TASKS, type DemoSnapshot } from '@/lib/demo';
import { TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import type { Clock } from '../clock';
import type { Database } from '../db/client';

export interface DemoServiceDeps {
  db: Database;
  clock: Clock;
}

/** The demo lists at most this many agents (the snapshot stays small for a public endpoint). */
const DEMO_MAX_AGENTS = 200;

export class DemoService {
  constructor(private readonly deps: DemoServiceDeps) {}

  async snapshot(): Promise<DemoSnapshot> {
    const { db } = this.deps;
    const [agents, counts, recent] = await Promise.all([
      db.agent.findMany({
        select: { id: true, status: true, kind: true, activeTasks: true, maxConcurrent: true },
        orderBy: { id: 'asc' },
        take: DEMO_MAX_AGENTS,
      }),
      db.task.groupBy({ by: ['status'], _count: { _all: true } }),
      db.task.findMany({
        select: { status: true, assignedTo: true, updatedAt: true },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        take: DEMO_RECENT_TASKS,
      }),
    ]);
    const taskCounts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
    for (const row of counts) {
      if (isTaskStatus(row.status)) taskCounts[row.status] = row._count._all;
    }
    return {
      generatedAt: this.deps.clock.now().toISOString(),
      agents: agents.map((agent) => ({
        id: agent.id,
        status: agent.status,
        kind: agent.kind,
        slotsUsed: agent.activeTasks,
        slotsTotal: agent.maxConcurrent,
      })),
      taskCounts,
      recentTasks: recent.filter((task) => isTaskStatus(task.status)).map((task) => ({
        status: task.status as TaskStatus,
        agentId: task.assignedTo,
        updatedAt: task.updatedAt.toISOString(),
      })),
    };
  }
}

function isTaskStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}
