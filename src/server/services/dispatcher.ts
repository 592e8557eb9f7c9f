// Push dispatch (spec section 08): the hub decides every assignment. A pass takes queued
// tasks whose dependencies are done, highest priority then oldest, and gives each to an
// eligible agent: online or busy, a free slot, the required capability, a breaker that lets
// work through, daily token budget left. `assignTo` is honoured when that agent is eligible;
// otherwise the agent with the highest UCB reputation for the capability wins, ties going to
// the lower load. Passes never overlap; a request during a pass runs one more pass after it.
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import type { EventBus } from '../events/event-bus';
import { breakerAfterAssignment, breakerAllowsTask, CLOSED_BREAKER, type BreakerRecord, type BreakerSettings } from './circuit-breaker';
import { GENERAL_CAPABILITY, ucbScore, type OutcomeCounts } from './reputation';
import { taskEventSelect, taskEventView, taskScope } from './task-views';

export interface DispatcherDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: HubConfig;
  /** Tokens each agent used since 00:00 UTC. */
  tokensUsedToday: (agentIds: string[]) => Promise<Map<string, number>>;
  refreshLoads: (agentIds: Iterable<string>) => Promise<void>;
  log?: (line: string) => void;
}

interface Candidate {
  id: string;
  capabilities: Set<string>;
  freeSlots: number;
  load: number;
  maxConcurrent: number;
  breaker: BreakerRecord;
}

const TASKS_PER_PASS = 200;

export class Dispatcher {
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly deps: DispatcherDeps) {}

  private get breakerSettings(): BreakerSettings {
    return { failureThreshold: this.deps.config.breakerFailures, cooldownMs: this.deps.config.breakerCooldownSeconds * 1000 };
  }

  /** Runs dispatch now (or after the pass in progress); resolves with the number of tasks assigned. */
  dispatch(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let assigned = 0;
      try {
        do {
          this.again = false;
          assigned += await this.runPasses();
        } while (this.again);
      } finally {
        this.running = null;
      }
      return assigned;
    })();
    return this.running;
  }

  /** Fire-and-forget dispatch for request paths; failures are logged, never thrown. */
  request(): void {
    this.dispatch().catch((error: unknown) => this.deps.log?.(`dispatch failed (${error instanceof Error ? error.name : 'Error'})`));
  }

  /** Waits for any pass in progress (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async runPasses(): Promise<number> {
    let total = 0;
    for (;;) {
      const assigned = await this.runPass();
      total += assigned;
      if (assigned < TASKS_PER_PASS) return total;
    }
  }

  private async runPass(): Promise<number> {
    const now = this.deps.clock.now();
    const candidates = await this.loadCandidates(now);
    if (candidates.size === 0) return 0;
    const queued = await this.deps.db.task.findMany({
      where: { status: 'queued', parents: { every: { parent: { status: 'done' } } } },
      select: { id: true, requiredCapability: true, assignTo: true },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: TASKS_PER_PASS,
    });
    if (queued.length === 0) return 0;
    const outcomes = await this.loadOutcomes([...candidates.keys()]);

    const assignedTaskIds: string[] = [];
    const touchedAgents = new Set<string>();
    for (const task of queued) {
      const agent = this.choose(task, candidates, outcomes, now);
      if (!agent) continue;
      const claimed = await this.deps.db.task.updateMany({
        where: { id: task.id, status: 'queued' },
        data: { status: 'assigned', assignedTo: agent.id, assignedAt: now, lastProgressAt: now },
      });
      if (claimed.count === 0) continue;
      const breaker = breakerAfterAssignment(agent.breaker, task.id, now, this.breakerSettings);
      if (breaker !== agent.breaker) {
        agent.breaker = breaker;
        await this.deps.db.breakerState.upsert({
          where: { agentId: agent.id },
          create: { agentId: agent.id, ...breaker },
          update: { state: breaker.state, probeTaskId: breaker.probeTaskId },
        });
      }
      agent.freeSlots -= 1;
      agent.load += 1;
      if (agent.freeSlots <= 0) candidates.delete(agent.id);
      assignedTaskIds.push(task.id);
      touchedAgents.add(agent.id);
    }
    if (assignedTaskIds.length === 0) return 0;
    const assignedTasks = await this.deps.db.task.findMany({ where: { id: { in: assignedTaskIds } }, select: taskEventSelect });
    for (const task of assignedTasks) await this.deps.events.publish('task_assigned', taskEventView(task), taskScope(task));
    await this.deps.refreshLoads(touchedAgents);
    return assignedTaskIds.length;
  }

  private choose(
    task: { requiredCapability: string | null; assignTo: string | null },
    candidates: Map<string, Candidate>,
    outcomes: Map<string, Map<string, OutcomeCounts>>,
    now: Date,
  ): Candidate | undefined {
    const available = (candidate: Candidate) => candidate.freeSlots > 0 && breakerAllowsTask(candidate.breaker, now, this.breakerSettings);
    if (task.assignTo) {
      const preferred = candidates.get(task.assignTo);
      if (preferred && available(preferred)) return preferred;
    }
    const capability = task.requiredCapability;
    const eligible = [...candidates.values()].filter((candidate) => available(candidate) && (!capability || candidate.capabilities.has(capability)));
    if (eligible.length === 0) return undefined;
    const key = capability ?? GENERAL_CAPABILITY;
    const totalTrials = eligible.reduce((sum, candidate) => {
      const outcome = outcomes.get(candidate.id)?.get(key);
      return sum + (outcome ? outcome.successes + outcome.failures : 0);
    }, 0);
    let best: { candidate: Candidate; score: number; loadRatio: number } | undefined;
    for (const candidate of eligible) {
      const score = ucbScore(outcomes.get(candidate.id)?.get(key), totalTrials);
      const loadRatio = candidate.load / candidate.maxConcurrent;
      if (
        !best ||
        score > best.score ||
        (score === best.score && (loadRatio < best.loadRatio || (loadRatio === best.loadRatio && candidate.id < best.candidate.id)))
      ) {
        best = { candidate, score, loadRatio };
      }
    }
    return best?.candidate;
  }

  private async loadCandidates(now: Date): Promise<Map<string, Candidate>> {
    const agents = await this.deps.db.agent.findMany({
      where: { status: { in: ['online', 'busy'] }, maxConcurrent: { gt: 0 }, kind: { not: 'commander' } },
      select: {
        id: true,
        maxConcurrent: true,
        dailyTokenBudget: true,
        capabilities: { select: { capability: true } },
        breaker: { select: { state: true, consecutiveFailures: true, openedAt: true, probeTaskId: true } },
      },
    });
    if (agents.length === 0) return new Map();
    const ids = agents.map((agent) => agent.id);
    const loads = await this.deps.db.task.groupBy({
      by: ['assignedTo'],
      where: { assignedTo: { in: ids }, status: { in: ['assigned', 'running'] } },
      _count: { _all: true },
    });
    const loadByAgent = new Map(loads.map((row) => [row.assignedTo, row._count._all]));
    const used = await this.deps.tokensUsedToday(ids);
    const candidates = new Map<string, Candidate>();
    for (const agent of agents) {
      const load = loadByAgent.get(agent.id) ?? 0;
      const budget = agent.dailyTokenBudget ?? this.deps.config.dailyTokenBudget;
      const breaker = (agent.breaker as BreakerRecord | null) ?? CLOSED_BREAKER;
      if (load >= agent.maxConcurrent || (used.get(agent.id) ?? 0) >= budget) continue;
      if (!breakerAllowsTask(breaker, now, this.breakerSettings)) continue;
      candidates.set(agent.id, {
        id: agent.id,
        capabilities: new Set(agent.capabilities.map((entry) => entry.capability)),
        freeSlots: agent.maxConcurrent - load,
        load,
        maxConcurrent: agent.maxConcurrent,
        breaker,
      });
    }
    return candidates;
  }

  private async loadOutcomes(agentIds: string[]): Promise<Map<string, Map<string, OutcomeCounts>>> {
    const rows = await this.deps.db.capabilityOutcome.findMany({ where: { agentId: { in: agentIds } } });
    const byAgent = new Map<string, Map<string, OutcomeCounts>>();
    for (const row of rows) {
      const forAgent = byAgent.get(row.agentId) ?? new Map<string, OutcomeCounts>();
      forAgent.set(row.capability, { successes: row.successes, failures: row.failures });
      byAgent.set(row.agentId, forAgent);
    }
    return byAgent;
  }
}
