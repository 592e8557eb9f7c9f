// Cost tracking (spec section 09): every model call's token usage is logged and priced by the
// hub's price table; the budget alert fires once per UTC day per agent at MESH_BUDGET_ALERT_USD;
// the daily token budget refuses claims once used up; and the summary rolls costs up by agent
// and by day (spec section 22's costs analytics).
import { COST_SUMMARY_MAX_DAYS, type CostsLogInput } from '@/lib/costs';
import { newId } from '@/lib/ids';
import { priceUsage, roundUsd, type CostSource } from '@/lib/prices';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { AppError, badInput, forbidden } from '../errors';
import type { EventBus } from '../events/event-bus';
import { canTouchTask, hasPermission, seesWholeMesh, type Principal } from '../auth/principal';
import type { MeshCapacity } from '../tasks/mesh-capacity';
import type { TaskRepository } from '../tasks/task-repository';
import type { AlertService } from './alert-service';
import { assertActsAs } from './agent-service';
import { startOfUtcDay } from './token-usage';

export interface CostServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: Pick<HubConfig, 'dailyTokenBudget' | 'budgetAlertUsd'>;
  alerts: Pick<AlertService, 'send'>;
  repository: Pick<TaskRepository, 'recordUsage'>;
  /** Today's usage per agent, kept in memory by the task engine (claims check it). */
  capacity: MeshCapacity;
}

export interface UsageToLog {
  agentId: string;
  taskId?: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** The worker's own figure; kept only when the model is missing from the price table. */
  reportedCostUsd?: number;
}

export interface CostEntryView {
  id: string;
  agentId: string;
  taskId: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costSource: CostSource;
  createdAt: string;
}

export interface AgentCostSummary {
  agentId: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  todayCostUsd: number;
  /** Distinct tasks with logged usage in the window. */
  tasks: number;
  /** Cost logged against tasks divided by `tasks` (the spec's average cost per task); null without tasks. */
  avgCostPerTaskUsd: number | null;
  rows: number;
  /** Rows whose cost is the worker's figure (model missing from the price table). */
  reportedRows: number;
}

export interface DayCostSummary {
  /** YYYY-MM-DD, UTC */
  day: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface CostSummary {
  days: number;
  /** Start of the window: 00:00 UTC, `days - 1` days before today. */
  since: string;
  /** The agent the summary is limited to, or null for the whole mesh. */
  agentId: string | null;
  todayCostUsd: number;
  totalCostUsd: number;
  /** Most expensive first. */
  byAgent: AgentCostSummary[];
  /** Every day of the window, oldest first, days without usage included as zeros. */
  byDay: DayCostSummary[];
  /** How the window's rows were priced: by the hub's table, or with the worker's own figure. */
  sources: {
    priceTable: { rows: number; costUsd: number };
    reported: { rows: number; costUsd: number; models: { model: string; rows: number; costUsd: number }[] };
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar day of an instant, as the budget alert's key and the summary's day label. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function formatUsd(value: number): string {
  return `$${value.toFixed(2)}`;
}

export class CostService {
  constructor(private readonly deps: CostServiceDeps) {}

  /**
   * Writes one priced cost_log row, publishes cost_logged, then raises the budget alert if the
   * agent's spend today (UTC) is at or above the threshold; the alert's key is the agent and
   * the day, so it fires once per UTC day per agent however often the threshold is passed.
   */
  async logUsage(usage: UsageToLog): Promise<CostEntryView> {
    const { costUsd, source } = priceUsage(usage);
    const row = await this.deps.repository.recordUsage(usage.agentId, usage.taskId ?? null, {
      model: usage.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd,
      costSource: source,
    });
    await this.checkBudgetAlert(usage.agentId);
    return row;
  }

  /** costs.log: an agent token logs for its own agent only; users and the master name the agent. */
  async log(principal: Principal, input: CostsLogInput): Promise<CostEntryView> {
    let agentId: string;
    if (principal.kind === 'agent') {
      if (input.agentId !== undefined) assertActsAs(principal, input.agentId);
      agentId = principal.agentId;
      if (input.taskId !== undefined && !seesWholeMesh(principal)) {
        // A worker or mobile token logs costs only against its own agent's tasks.
        const task = await this.deps.db.task.findUnique({ where: { id: input.taskId }, select: { assignedTo: true, createdBy: true } });
        if (!task || !canTouchTask(principal, task)) {
          throw new AppError('not_found', 'taskId: task not found', { field: 'taskId' });
        }
      }
    } else {
      if (input.agentId === undefined) throw badInput('agentId', 'required unless the caller is an agent token');
      agentId = input.agentId;
    }
    return this.logUsage({ ...input, agentId });
  }

  /** Input plus output tokens the agent has used since 00:00 UTC (from the task engine's in-memory tally). */
  async tokensUsedToday(agentId: string): Promise<number> {
    return this.deps.capacity.tokensUsedToday(agentId, this.deps.clock.now());
  }

  /** The agent's own daily token budget, or the hub's (MESH_DAILY_TOKEN_BUDGET). */
  async budgetFor(agentId: string): Promise<number> {
    const agent = await this.deps.db.agent.findUnique({ where: { id: agentId }, select: { dailyTokenBudget: true } });
    return agent?.dailyTokenBudget ?? this.deps.config.dailyTokenBudget;
  }

  /** Called at claim time: an agent that has used its daily budget takes no new work until 00:00 UTC. */
  async assertWithinBudget(agentId: string): Promise<void> {
    const now = this.deps.clock.now();
    const used = this.deps.capacity.tokensUsedToday(agentId, now);
    const agent = this.deps.capacity.get(agentId);
    const budget = agent ? this.deps.capacity.budgetOf(agent) : this.deps.config.dailyTokenBudget;
    if (used < budget) return;
    const retryAfterSeconds = Math.ceil((startOfUtcDay(now).getTime() + DAY_MS - now.getTime()) / 1000);
    throw new AppError(
      'rate_limited',
      `agent ${agentId} has used its daily token budget (${used} of ${budget} tokens); it can claim again after 00:00 UTC`,
      { retryAfterSeconds },
    );
  }

  /**
   * costs.summary: an agent token without admin:analytics sees only its own agent (as on the
   * event stream); users, the master and analytics-holding tokens see the whole mesh.
   */
  async summaryFor(principal: Principal, input: { days?: number; agentId?: string } = {}): Promise<CostSummary> {
    if (principal.kind === 'agent' && !hasPermission(principal, 'admin:analytics')) {
      if (input.agentId !== undefined && input.agentId !== principal.agentId) {
        throw forbidden(`this token sees only its own agent's costs (${principal.agentId}); admin:analytics sees all`);
      }
      return this.summary({ days: input.days, agentId: principal.agentId });
    }
    return this.summary(input);
  }

  /** Costs of the last `days` UTC days (today included), by agent and by day. */
  async summary(input: { days?: number; agentId?: string } = {}): Promise<CostSummary> {
    const days = Math.min(COST_SUMMARY_MAX_DAYS, Math.max(1, Math.floor(input.days ?? 7)));
    const agentFilter = input.agentId === undefined ? {} : { agentId: input.agentId };
    const todayStart = startOfUtcDay(this.deps.clock.now());
    const since = new Date(todayStart.getTime() - (days - 1) * DAY_MS);

    const agents = new Map<string, AgentCostSummary>();
    const agentEntry = (agentId: string) => {
      let entry = agents.get(agentId);
      if (!entry) {
        entry = { agentId, inputTokens: 0, outputTokens: 0, costUsd: 0, todayCostUsd: 0, tasks: 0, avgCostPerTaskUsd: null, rows: 0, reportedRows: 0 };
        agents.set(agentId, entry);
      }
      return entry;
    };
    const sources = { priceTable: { rows: 0, costUsd: 0 }, reported: { rows: 0, costUsd: 0 } };
    const byDay: DayCostSummary[] = [];

    // One grouped query per day keeps memory bounded by agents × days, not by rows.
    for (let index = 0; index < days; index += 1) {
      const dayStart = new Date(since.getTime() + index * DAY_MS);
      const groups = await this.deps.db.costLog.groupBy({
        by: ['agentId', 'costSource'],
        where: { ...agentFilter, createdAt: { gte: dayStart, lt: new Date(dayStart.getTime() + DAY_MS) } },
        _sum: { inputTokens: true, outputTokens: true, costUsd: true },
        _count: { _all: true },
      });
      const day: DayCostSummary = { day: utcDay(dayStart), inputTokens: 0, outputTokens: 0, costUsd: 0 };
      for (const group of groups) {
        const inputTokens = group._sum.inputTokens ?? 0;
        const outputTokens = group._sum.outputTokens ?? 0;
        const costUsd = group._sum.costUsd ?? 0;
        const rows = group._count._all;
        day.inputTokens += inputTokens;
        day.outputTokens += outputTokens;
        day.costUsd += costUsd;
        const agent = agentEntry(group.agentId);
        agent.inputTokens += inputTokens;
        agent.outputTokens += outputTokens;
        agent.costUsd += costUsd;
        agent.rows += rows;
        if (dayStart.getTime() === todayStart.getTime()) agent.todayCostUsd += costUsd;
        const source = group.costSource === 'reported' ? sources.reported : sources.priceTable;
        source.rows += rows;
        source.costUsd += costUsd;
        if (group.costSource === 'reported') agent.reportedRows += rows;
      }
      byDay.push({ ...day, costUsd: roundUsd(day.costUsd) });
    }

    const taskGroups = await this.deps.db.costLog.groupBy({
      by: ['agentId', 'taskId'],
      where: { ...agentFilter, taskId: { not: null }, createdAt: { gte: since } },
      _sum: { costUsd: true },
    });
    const taskCost = new Map<string, number>();
    for (const group of taskGroups) {
      agentEntry(group.agentId).tasks += 1;
      taskCost.set(group.agentId, (taskCost.get(group.agentId) ?? 0) + (group._sum.costUsd ?? 0));
    }

    const reportedModels = await this.deps.db.costLog.groupBy({
      by: ['model'],
      where: { ...agentFilter, costSource: 'reported', createdAt: { gte: since } },
      _sum: { costUsd: true },
      _count: { _all: true },
      orderBy: { model: 'asc' },
    });

    const byAgent = [...agents.values()]
      .map((agent) => ({
        ...agent,
        costUsd: roundUsd(agent.costUsd),
        todayCostUsd: roundUsd(agent.todayCostUsd),
        avgCostPerTaskUsd: agent.tasks > 0 ? roundUsd((taskCost.get(agent.agentId) ?? 0) / agent.tasks) : null,
      }))
      .sort((a, b) => b.costUsd - a.costUsd || a.agentId.localeCompare(b.agentId));

    return {
      days,
      since: since.toISOString(),
      agentId: input.agentId ?? null,
      todayCostUsd: byDay[byDay.length - 1]?.costUsd ?? 0,
      totalCostUsd: roundUsd(byDay.reduce((sum, day) => sum + day.costUsd, 0)),
      byAgent,
      byDay,
      sources: {
        priceTable: { rows: sources.priceTable.rows, costUsd: roundUsd(sources.priceTable.costUsd) },
        reported: {
          rows: sources.reported.rows,
          costUsd: roundUsd(sources.reported.costUsd),
          models: reportedModels.map((group) => ({ model: group.model, rows: group._count._all, costUsd: roundUsd(group._sum.costUsd ?? 0) })),
        },
      },
    };
  }

  /**
   * Raises the budget alert if the agent's spend today (UTC) is at or above the threshold; the
   * alert's key is the agent and the day, so it fires once per UTC day per agent.
   */
  async checkBudgetAlert(agentId: string): Promise<void> {
    const now = this.deps.clock.now();
    const spent = this.deps.capacity.get(agentId) ? this.deps.capacity.usdToday(agentId, now) : await this.spentTodayInDatabase(agentId, now);
    const threshold = this.deps.config.budgetAlertUsd;
    if (spent < threshold) return;
    const day = utcDay(now);
    await this.deps.alerts.send({
      kind: 'budget',
      dedupKey: `${agentId}:${day}`,
      title: `Budget: ${agentId} spent ${formatUsd(spent)} today`,
      message: `${agentId} has spent ${formatUsd(spent)} on model calls on ${day} (UTC), at or above the ${formatUsd(threshold)} daily alert threshold (MESH_BUDGET_ALERT_USD).`,
      priority: 4,
    });
  }

  /** Agents the task engine does not track (the hub's own model usage) are summed from the log. */
  private async spentTodayInDatabase(agentId: string, now: Date): Promise<number> {
    const today = await this.deps.db.costLog.aggregate({ where: { agentId, createdAt: { gte: startOfUtcDay(now) } }, _sum: { costUsd: true } });
    return today._sum.costUsd ?? 0;
  }
}

function toView(row: {
  id: string;
  agentId: string;
  taskId: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costSource: string;
  createdAt: Date;
}): CostEntryView {
  return {
    id: row.id,
    agentId: row.agentId,
    taskId: row.taskId,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    costSource: row.costSource as CostSource,
    createdAt: row.createdAt.toISOString(),
  };
}
