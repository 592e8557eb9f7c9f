// Analytics (spec section 22): task counts by status, agent, day and capability; costs by agent
// and day (from the cost service's rollup); agent uptime from the status history, tasks and
// memory per agent; and a summary combining them for a dashboard header.
import type {
  AgentAnalytics,
  AgentAnalyticsRow,
  AnalyticsSummary,
  AnalyticsWindow,
  CostAnalytics,
  StatusCounts,
  TaskAnalytics,
  TaskDayCounts,
} from '@/lib/analytics';
import { ANALYTICS_DEFAULT_DAYS, ANALYTICS_MAX_DAYS } from '@/lib/analytics';
import { LIMITS } from '@/lib/limits';
import { TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { CostService } from './cost-service';
import { utcDay } from './cost-service';
import { startOfUtcDay } from './token-usage';

export interface AnalyticsServiceDeps {
  db: Database;
  clock: Clock;
  costs: Pick<CostService, 'summary'>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UP_STATUSES = new Set(['online', 'busy']);
const THROUGHPUT_STATUSES = ['done', 'failed', 'cancelled'] as const;

interface Window {
  days: number;
  since: Date;
  until: Date;
}

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function isTaskStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

function roundPercent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/**
 * Milliseconds an agent spent online or busy between `start` and `end`, given its status at
 * `start` and its status changes in the window (oldest first). Changes outside the window are
 * clamped to it, so a caller may pass a slightly wider list.
 */
export function upMillisecondsInWindow(statusAtStart: string, changes: { status: string; at: Date }[], start: Date, end: Date): number {
  const startMs = start.getTime();
  const endMs = end.getTime();
  let upMs = 0;
  let current = statusAtStart;
  let from = startMs;
  for (const change of changes) {
    const at = Math.min(endMs, Math.max(startMs, change.at.getTime()));
    if (UP_STATUSES.has(current)) upMs += at - from;
    current = change.status;
    from = at;
  }
  if (UP_STATUSES.has(current)) upMs += endMs - from;
  return upMs;
}

/** Uptime in percent (one decimal) of a window; a zero-length window counts the status at its end. */
export function uptimePercent(upMs: number, windowMs: number, statusAtEnd: string): number {
  if (windowMs <= 0) return UP_STATUSES.has(statusAtEnd) ? 100 : 0;
  return roundPercent(upMs / windowMs);
}

/**
 * Where an agent's uptime span starts: the window's start if the agent had a status before it;
 * else its first status change in the window (its registration: the agent row is written a
 * moment before its presence, and those milliseconds offline are not a lack of uptime); else,
 * with no history at all, its row's creation. Clamped to the window.
 */
export function existedFrom(
  agent: { createdAt: Date; hadStatusBeforeWindow: boolean; firstChangeInWindowAt: Date | undefined },
  since: Date,
  until: Date,
): Date {
  if (agent.hadStatusBeforeWindow) return since;
  const registered = (agent.firstChangeInWindowAt ?? agent.createdAt).getTime();
  return new Date(Math.min(until.getTime(), Math.max(since.getTime(), registered)));
}

/** Most first; ties by name; the null bucket (unassigned, any capability) last among equals. */
function byTotalThenName<T extends { total: number }>(name: (item: T) => string | null) {
  return (a: T, b: T): number => {
    if (b.total !== a.total) return b.total - a.total;
    const nameA = name(a);
    const nameB = name(b);
    if (nameA === null || nameB === null) return nameA === nameB ? 0 : nameA === null ? 1 : -1;
    return nameA.localeCompare(nameB);
  };
}

export class AnalyticsService {
  constructor(private readonly deps: AnalyticsServiceDeps) {}

  /** Task counts of the tasks created in the window; throughput by the day tasks finished. */
  async tasks(input: { days?: number } = {}): Promise<TaskAnalytics> {
    const window = this.window(input.days);
    const created = { createdAt: { gte: window.since } };

    const byAgentStatus = await this.deps.db.task.groupBy({ by: ['assignedTo', 'status'], where: created, _count: { _all: true } });
    const byStatus = emptyStatusCounts();
    const agents = new Map<string | null, { agentId: string | null; total: number; byStatus: StatusCounts }>();
    for (const group of byAgentStatus) {
      if (!isTaskStatus(group.status)) continue;
      const count = group._count._all;
      byStatus[group.status] += count;
      let agent = agents.get(group.assignedTo);
      if (!agent) {
        agent = { agentId: group.assignedTo, total: 0, byStatus: emptyStatusCounts() };
        agents.set(group.assignedTo, agent);
      }
      agent.total += count;
      agent.byStatus[group.status] += count;
    }

    const byCapabilityStatus = await this.deps.db.task.groupBy({ by: ['requiredCapability', 'status'], where: created, _count: { _all: true } });
    const capabilities = new Map<string | null, TaskAnalytics['byCapability'][number]>();
    for (const group of byCapabilityStatus) {
      let capability = capabilities.get(group.requiredCapability);
      if (!capability) {
        capability = { capability: group.requiredCapability, total: 0, done: 0, failed: 0 };
        capabilities.set(group.requiredCapability, capability);
      }
      capability.total += group._count._all;
      if (group.status === 'done') capability.done += group._count._all;
      if (group.status === 'failed') capability.failed += group._count._all;
    }

    return {
      ...this.describe(window),
      total: Object.values(byStatus).reduce((sum, count) => sum + count, 0),
      byStatus,
      byAgent: [...agents.values()].sort(byTotalThenName((agent) => agent.agentId)),
      byDay: await this.taskDays(window),
      byCapability: [...capabilities.values()].sort(byTotalThenName((capability) => capability.capability)),
    };
  }

  /** The cost service's rollup for the same window, trimmed to what the charts use. */
  async costs(input: { days?: number } = {}): Promise<CostAnalytics> {
    const window = this.window(input.days);
    const summary = await this.deps.costs.summary({ days: window.days });
    return {
      ...this.describe(window),
      totalCostUsd: summary.totalCostUsd,
      todayCostUsd: summary.todayCostUsd,
      byAgent: summary.byAgent.map((agent) => ({
        agentId: agent.agentId,
        costUsd: agent.costUsd,
        inputTokens: agent.inputTokens,
        outputTokens: agent.outputTokens,
        tasks: agent.tasks,
        avgCostPerTaskUsd: agent.avgCostPerTaskUsd,
      })),
      byDay: summary.byDay.map((day) => ({ day: day.day, costUsd: day.costUsd, inputTokens: day.inputTokens, outputTokens: day.outputTokens })),
    };
  }

  /**
   * Per agent: uptime from agent_status_changes over the part of the window the agent existed
   * (from its registration or the window's start, whichever is later: an agent registered an
   * hour ago and up since is 100 %, not 1 h of 7 days; see existedFrom), tasks created in the window and
   * assigned to it, and its memory entries. The status in force when that span opened is the
   * last change before it; an agent with none was not there yet, so offline.
   */
  async agents(input: { days?: number } = {}): Promise<AgentAnalytics> {
    const window = this.window(input.days);
    const windowMs = window.until.getTime() - window.since.getTime();
    const agents = await this.deps.db.agent.findMany({ select: { id: true, name: true, status: true, createdAt: true }, orderBy: { id: 'asc' }, take: LIMITS.listRows });
    const agentIds = agents.map((agent) => agent.id);

    const taskGroups = await this.deps.db.task.groupBy({
      by: ['assignedTo', 'status'],
      where: { assignedTo: { in: agentIds }, createdAt: { gte: window.since } },
      _count: { _all: true },
    });
    const memoryGroups = await this.deps.db.agentMemory.groupBy({ by: ['agentId'], where: { agentId: { in: agentIds } }, _count: { _all: true } });
    const memoryByAgent = new Map(memoryGroups.map((group) => [group.agentId, group._count._all]));

    const rows: AgentAnalyticsRow[] = [];
    for (const agent of agents) {
      // One agent at a time keeps memory bounded by one agent's status history in the window.
      const before = await this.deps.db.agentStatusChange.findFirst({
        where: { agentId: agent.id, at: { lt: window.since } },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        select: { status: true },
      });
      const changes = await this.deps.db.agentStatusChange.findMany({
        where: { agentId: agent.id, at: { gte: window.since, lte: window.until } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
        select: { status: true, at: true },
      });
      const statusAtStart = before?.status ?? 'offline';
      const existedSince = existedFrom(
        { createdAt: agent.createdAt, hadStatusBeforeWindow: before !== null, firstChangeInWindowAt: changes[0]?.at },
        window.since,
        window.until,
      );
      const upMs = upMillisecondsInWindow(statusAtStart, changes, existedSince, window.until);
      const statusAtEnd = changes[changes.length - 1]?.status ?? statusAtStart;
      const tasks = taskGroups.filter((group) => group.assignedTo === agent.id);
      const count = (status?: string) => tasks.filter((group) => !status || group.status === status).reduce((sum, group) => sum + group._count._all, 0);
      rows.push({
        agentId: agent.id,
        name: agent.name,
        status: agent.status,
        uptimePercent: uptimePercent(upMs, window.until.getTime() - existedSince.getTime(), statusAtEnd),
        upSeconds: Math.round(upMs / 1000),
        totalTasks: count(),
        doneTasks: count('done'),
        failedTasks: count('failed'),
        memoryCount: memoryByAgent.get(agent.id) ?? 0,
      });
    }
    return { ...this.describe(window), windowSeconds: Math.round(windowMs / 1000), agents: rows };
  }

  /** The quick view: task totals and success rate, open work now, spend, agents by status, average uptime, memory. */
  async summary(input: { days?: number } = {}): Promise<AnalyticsSummary> {
    const window = this.window(input.days);
    const statusGroups = await this.deps.db.task.groupBy({ by: ['status'], where: { createdAt: { gte: window.since } }, _count: { _all: true } });
    const countOf = (status: string) => statusGroups.find((group) => group.status === status)?._count._all ?? 0;
    const done = countOf('done');
    const failed = countOf('failed');
    const active = await this.deps.db.task.count({ where: { status: { in: ['assigned', 'running'] } } });
    const queued = await this.deps.db.task.count({ where: { status: 'queued' } });
    const costs = await this.deps.costs.summary({ days: window.days });
    const agentGroups = await this.deps.db.agent.groupBy({ by: ['status'], _count: { _all: true } });
    const agentsWith = (status: string) => agentGroups.find((group) => group.status === status)?._count._all ?? 0;
    const uptime = await this.agents({ days: window.days });
    const memoryCount = await this.deps.db.agentMemory.count();

    return {
      ...this.describe(window),
      tasks: {
        total: statusGroups.reduce((sum, group) => sum + group._count._all, 0),
        done,
        failed,
        successRatePercent: done + failed > 0 ? roundPercent(done / (done + failed)) : null,
        active,
        queued,
      },
      costs: { totalCostUsd: costs.totalCostUsd, todayCostUsd: costs.todayCostUsd },
      agents: {
        total: agentGroups.reduce((sum, group) => sum + group._count._all, 0),
        online: agentsWith('online'),
        busy: agentsWith('busy'),
        offline: agentsWith('offline'),
        averageUptimePercent:
          uptime.agents.length > 0 ? Math.round((uptime.agents.reduce((sum, agent) => sum + agent.uptimePercent, 0) / uptime.agents.length) * 10) / 10 : null,
      },
      memoryCount,
    };
  }

  /** Created per day, and finished per day by outcome; one grouped query per day keeps memory flat. */
  private async taskDays(window: Window): Promise<TaskDayCounts[]> {
    const days: TaskDayCounts[] = [];
    for (let index = 0; index < window.days; index += 1) {
      const dayStart = new Date(window.since.getTime() + index * DAY_MS);
      const range = { gte: dayStart, lt: new Date(dayStart.getTime() + DAY_MS) };
      const created = await this.deps.db.task.count({ where: { createdAt: range } });
      const finished = await this.deps.db.task.groupBy({
        by: ['status'],
        where: { completedAt: range, status: { in: [...THROUGHPUT_STATUSES] } },
        _count: { _all: true },
      });
      const finishedWith = (status: string) => finished.find((group) => group.status === status)?._count._all ?? 0;
      days.push({ day: utcDay(dayStart), created, done: finishedWith('done'), failed: finishedWith('failed'), cancelled: finishedWith('cancelled') });
    }
    return days;
  }

  private window(days: number | undefined): Window {
    const bounded = Math.min(ANALYTICS_MAX_DAYS, Math.max(1, Math.floor(days ?? ANALYTICS_DEFAULT_DAYS)));
    const until = this.deps.clock.now();
    const since = new Date(startOfUtcDay(until).getTime() - (bounded - 1) * DAY_MS);
    return { days: bounded, since, until };
  }

  private describe(window: Window): AnalyticsWindow {
    return { days: window.days, since: window.since.toISOString(), until: window.until.toISOString() };
  }
}
