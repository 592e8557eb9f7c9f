// The dispatcher's in-memory picture of the mesh: each agent's status, free slots, capabilities,
// breaker, reputation counts and today's token use. Loaded from the database at start, kept up to
// date by every change the task engine commits (after the commit), and rebuilt from the database
// by the sweepers, so a dispatch pass never queries loads, breakers or budgets.
import { breakerAllowsTask, CLOSED_BREAKER, type BreakerRecord, type BreakerSettings } from '../services/tasks/circuit-breaker';
import { GENERAL_CAPABILITY, type OutcomeCounts } from '../services/tasks/reputation';

export interface AgentCapacity {
  id: string;
  name: string;
  kind: string;
  status: string;
  maxConcurrent: number;
  /** Open tasks (assigned or running) held by the agent. */
  activeTasks: number;
  capabilities: Set<string>;
  breaker: BreakerRecord;
  /** The agent's own daily token budget; null: the hub's default. */
  dailyTokenBudget: number | null;
  /** Input + output tokens and USD logged since 00:00 UTC of `usageDay`. */
  tokensToday: number;
  usdToday: number;
  usageDay: string;
  /** Successes and failures per capability (GENERAL_CAPABILITY for tasks without one). */
  outcomes: Map<string, OutcomeCounts>;
  /** Why the worker's load gate holds it back (null: it claims); dispatch gives a paused agent nothing. */
  claimingPaused: string | null;
}

/** Why an agent cannot take work now (MeshCapacity.blocker). */
export type AgentBlocker = 'offline' | 'commander' | 'claiming_paused' | 'breaker_open' | 'budget_spent' | 'busy';

export interface CapacitySettings {
  breaker: BreakerSettings;
  defaultDailyTokenBudget: number;
}

export const utcDayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export class MeshCapacity {
  private agents = new Map<string, AgentCapacity>();

  constructor(private readonly settings: CapacitySettings) {}

  /** Replaces the whole picture (start-up and sweeper rebuilds). */
  replaceAll(agents: AgentCapacity[]): void {
    this.agents = new Map(agents.map((agent) => [agent.id, agent]));
  }

  /** Replaces one agent's entry (after the registry changed it), or drops it. */
  replace(agentId: string, agent: AgentCapacity | null): void {
    if (agent) this.agents.set(agentId, agent);
    else this.agents.delete(agentId);
  }

  get(agentId: string): AgentCapacity | undefined {
    return this.agents.get(agentId);
  }

  all(): AgentCapacity[] {
    return [...this.agents.values()];
  }

  budgetOf(agent: AgentCapacity): number {
    return agent.dailyTokenBudget ?? this.settings.defaultDailyTokenBudget;
  }

  /** Tokens the agent has used today (UTC, by the hub's clock). */
  tokensUsedToday(agentId: string, now: Date): number {
    const agent = this.agents.get(agentId);
    if (!agent || agent.usageDay !== utcDayOf(now)) return 0;
    return agent.tokensToday;
  }

  usdToday(agentId: string, now: Date): number {
    const agent = this.agents.get(agentId);
    if (!agent || agent.usageDay !== utcDayOf(now)) return 0;
    return agent.usdToday;
  }

  /** Whether dispatch may hand this agent another task now. */
  canTakeWork(agent: AgentCapacity, now: Date): boolean {
    return this.blocker(agent, now) === null;
  }

  /** What keeps dispatch from handing this agent another task now (null: nothing); the first that applies. */
  blocker(agent: AgentCapacity, now: Date): AgentBlocker | null {
    if (agent.status === 'offline') return 'offline';
    if (agent.kind === 'commander') return 'commander';
    if (agent.claimingPaused !== null) return 'claiming_paused';
    if (!breakerAllowsTask(agent.breaker, now, this.settings.breaker)) return 'breaker_open';
    if (this.tokensUsedToday(agent.id, now) >= this.budgetOf(agent)) return 'budget_spent';
    if (agent.activeTasks >= agent.maxConcurrent) return 'busy';
    return null;
  }

  /** Agents that can take a task now; empty means a dispatch pass has nothing to do. */
  available(now: Date): AgentCapacity[] {
    const result: AgentCapacity[] = [];
    for (const agent of this.agents.values()) if (this.canTakeWork(agent, now)) result.push(agent);
    return result;
  }

  setLoad(agentId: string, activeTasks: number, status: string): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    agent.activeTasks = activeTasks;
    agent.status = status;
  }

  setClaimingPaused(agentId: string, reason: string | null): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.claimingPaused = reason;
  }

  /** Agents that could ever take a task needing `capability` (online, not a commander), whatever their load. */
  capableAgents(capability: string | null): AgentCapacity[] {
    return this.all().filter((agent) => agent.status !== 'offline' && agent.kind !== 'commander' && agent.maxConcurrent > 0 && (!capability || agent.capabilities.has(capability)));
  }

  setBreaker(agentId: string, breaker: BreakerRecord): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.breaker = breaker;
  }

  addUsage(agentId: string, tokens: number, usd: number, at: Date): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    const day = utcDayOf(at);
    if (agent.usageDay !== day) {
      agent.usageDay = day;
      agent.tokensToday = 0;
      agent.usdToday = 0;
    }
    agent.tokensToday += tokens;
    agent.usdToday += usd;
  }

  addOutcome(agentId: string, capability: string | null, success: boolean): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    const key = capability ?? GENERAL_CAPABILITY;
    const counts = agent.outcomes.get(key) ?? { successes: 0, failures: 0 };
    agent.outcomes.set(key, success ? { ...counts, successes: counts.successes + 1 } : { ...counts, failures: counts.failures + 1 });
  }
}

export function emptyCapacity(agent: Pick<AgentCapacity, 'id' | 'name' | 'kind' | 'status' | 'maxConcurrent'>): AgentCapacity {
  return {
    ...agent,
    activeTasks: 0,
    capabilities: new Set(),
    breaker: CLOSED_BREAKER,
    dailyTokenBudget: null,
    tokensToday: 0,
    usdToday: 0,
    usageDay: '',
    outcomes: new Map(),
    claimingPaused: null,
  };
}
