// Push dispatch (spec section 08): the hub decides every assignment. A pass takes queued
// tasks whose dependencies are done, highest priority then oldest, and gives each to an
// eligible agent: online or busy, a free slot, the required capability, a breaker that lets
// work through, daily token budget left. `assignTo` is honoured when that agent is eligible;
// otherwise the agent with the highest UCB reputation for the capability wins, ties going to
// the lower load. Eligibility comes from the in-memory MeshCapacity, so a pass reads only the
// queue (through the dispatch-order index) and stops as soon as no agent can take more.
// Passes never overlap; requests during a pass run one more pass after it.
import type { Clock } from '../../clock';
import type { HubConfig } from '../../config';
import type { AgentCapacity, MeshCapacity } from '../../tasks/mesh-capacity';
import type { AssignmentDecision, QueuedTask, TaskRepository } from '../../tasks/task-repository';
import { breakerAfterAssignment, breakerAllowsTask, type BreakerRecord, type BreakerSettings } from './circuit-breaker';
import { GENERAL_CAPABILITY, ucbScore } from './reputation';
import type { HubLogger } from '../../logging/logger';

export interface DispatcherDeps {
  repository: TaskRepository;
  capacity: MeshCapacity;
  clock: Clock;
  config: HubConfig;
  logger?: HubLogger;
}

/** How far one pass looks down the queue for tasks the free agents can take. */
const MAX_SCANNED_PER_PASS = 5_000;

/** An agent's state during one pass: slots and breaker as they will be once the pass commits. */
interface PassAgent {
  agent: AgentCapacity;
  load: number;
  breaker: BreakerRecord;
}

export class Dispatcher {
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly deps: DispatcherDeps) {}

  private get breakerSettings(): BreakerSettings {
    return { failureThreshold: this.deps.config.breakerFailures, cooldownMs: this.deps.config.breakerCooldownSeconds * 1000 };
  }

  /** Loads the capacity picture from the database (start-up; sweepers call it to correct drift). */
  async rebuild(): Promise<void> {
    this.deps.capacity.replaceAll(await this.deps.repository.loadCapacity());
  }

  /** Re-reads one agent after the registry changed it (registration, operator update). */
  async reloadAgent(agentId: string): Promise<void> {
    this.deps.capacity.replace(agentId, await this.deps.repository.loadAgentCapacity(agentId));
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
          assigned += await this.runPass();
        } while (this.again);
      } catch (error) {
        // The pass rolled back; the in-memory picture may be ahead of the data.
        await this.rebuild().catch(() => undefined);
        throw error;
      } finally {
        this.running = null;
      }
      return assigned;
    })();
    return this.running;
  }

  /** Fire-and-forget dispatch for request paths; failures are logged, never thrown. */
  request(): void {
    this.dispatch().catch((error: unknown) => this.deps.logger?.error(`dispatch failed (${error instanceof Error ? error.name : 'Error'})`));
  }

  /** Waits for any pass in progress (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async runPass(): Promise<number> {
    const now = this.deps.clock.now();
    const available = this.deps.capacity.available(now);
    if (available.length === 0) return 0;
    const agents = new Map<string, PassAgent>(available.map((agent) => [agent.id, { agent, load: agent.activeTasks, breaker: agent.breaker }]));
    const decide = (task: QueuedTask): AssignmentDecision | 'stop' | null => {
      const open = [...agents.values()].filter((entry) => this.hasRoom(entry, now));
      if (open.length === 0) return 'stop';
      const chosen = this.choose(task, open);
      if (!chosen) return null;
      chosen.load += 1;
      chosen.breaker = breakerAfterAssignment(chosen.breaker, task.id, now, this.breakerSettings);
      return { agentId: chosen.agent.id, breaker: chosen.breaker };
    };
    // Read about twice the free slots at a time: enough for tasks some agents cannot take, without
    // reading hundreds of rows to fill one slot.
    const freeSlots = available.reduce((sum, agent) => sum + Math.max(0, agent.maxConcurrent - agent.activeTasks), 0);
    return this.deps.repository.assignQueued(decide, { maxScanned: MAX_SCANNED_PER_PASS, pageSize: Math.max(16, 2 * freeSlots) });
  }

  private hasRoom(entry: PassAgent, now: Date): boolean {
    return entry.load < entry.agent.maxConcurrent && breakerAllowsTask(entry.breaker, now, this.breakerSettings);
  }

  private choose(task: QueuedTask, open: PassAgent[]): PassAgent | undefined {
    const capability = task.requiredCapability;
    // `assignTo` is a preference among capable agents: it never overrides the capability.
    let eligible = capability ? open.filter((entry) => entry.agent.capabilities.has(capability)) : open;
    if (task.assignTo) {
      const preferred = eligible.find((entry) => entry.agent.id === task.assignTo);
      if (preferred) return preferred;
    }
    if (task.handedOffBy) {
      // A continuation goes to the next available agent (spec 11/13), not back to the one that
      // handed it off, unless no other agent could ever take it.
      const others = eligible.filter((entry) => entry.agent.id !== task.handedOffBy);
      const anotherCapable = this.deps.capacity.capableAgents(capability).some((agent) => agent.id !== task.handedOffBy);
      if (others.length > 0 || anotherCapable) eligible = others;
    }
    if (eligible.length === 0) return undefined;
    const key = capability ?? GENERAL_CAPABILITY;
    const totalTrials = eligible.reduce((sum, entry) => {
      const outcome = entry.agent.outcomes.get(key);
      return sum + (outcome ? outcome.successes + outcome.failures : 0);
    }, 0);
    let best: { entry: PassAgent; score: number; loadRatio: number } | undefined;
    for (const entry of eligible) {
      const score = ucbScore(entry.agent.outcomes.get(key), totalTrials);
      const loadRatio = entry.load / entry.agent.maxConcurrent;
      if (
        !best ||
        score > best.score ||
        (score === best.score && (loadRatio < best.loadRatio || (loadRatio === best.loadRatio && entry.agent.id < best.entry.agent.id)))
      ) {
        best = { entry, score, loadRatio };
      }
    }
    return best?.entry;
  }
}
