// Agent memory from the callers' side (memory.* procedures, the worker's [REMEMBER] blocks, the
// memory_enhance plugin): an agent token works on its own agent's memory only; users and the
// master token on every agent's. Consolidation is an operator's (or the daily sweeper's) act.
// The memory_enhance plugin calls searchForAgent(agentId, query, limit) for the invoking agent.
import type { HubLogger } from '../logging/logger';
import type { z } from 'zod';
import type {
  ConsolidationRunSummary,
  ConsolidationView,
  InjectedMemoriesView,
  MemoryEntryView,
  MemorySearchHit,
  MemorySource,
  memoryStoreInput,
} from '@/lib/memory';
import { newId } from '@/lib/ids';
import { canTouchTask, seesWholeMesh, type Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { badInput, forbidden, notFound } from '../errors';
import type { ModelGateway } from '../llm/gateway';
import { assertActsAs } from '../services/agent-service';
import { planConsolidation, proposeModelMerges } from './consolidation';
import type { MemoryRepository } from './memory-repository';

export interface MemoryServiceDeps {
  repository: MemoryRepository;
  db: Database;
  clock: Clock;
  llm: ModelGateway;
  logger: HubLogger;
}

export class MemoryService {
  constructor(private readonly deps: MemoryServiceDeps) {}

  /** The agent a call works on: an agent token's own (naming another is refused); others must name one. */
  agentFor(principal: Principal, agentId: string | undefined): string {
    const target = agentId ?? (principal.kind === 'agent' ? principal.agentId : undefined);
    if (!target) throw badInput('agentId', 'required unless the token is bound to an agent');
    assertActsAs(principal, target);
    return target;
  }

  async store(principal: Principal, input: z.infer<typeof memoryStoreInput>): Promise<MemoryEntryView & { created: boolean }> {
    const agentId = this.agentFor(principal, input.agentId);
    const source: MemorySource = input.source ?? (principal.kind === 'agent' ? 'agent' : 'operator');
    if (principal.kind === 'agent' && source !== 'agent') throw badInput('source', 'an agent token stores memories with source "agent"');
    const { entry, created } = await this.deps.repository.store({ agentId, key: input.key, value: input.value, source, confidence: input.confidence ?? null });
    return { ...entry, created };
  }

  list(principal: Principal, input: { agentId?: string; limit: number }): Promise<MemoryEntryView[]> {
    return this.deps.repository.list(this.agentFor(principal, input.agentId), input.limit);
  }

  search(principal: Principal, input: { agentId?: string; query: string; limit: number }): Promise<MemorySearchHit[]> {
    return this.searchForAgent(this.agentFor(principal, input.agentId), input.query, input.limit);
  }

  /**
   * Search without a caller: for hub-side code that has already decided whose memory it reads
   * (the memory_enhance plugin, for the agent that invoked it). Any text is a valid query.
   */
  searchForAgent(agentId: string, query: string, limit = 10): Promise<MemorySearchHit[]> {
    return this.deps.repository.search(agentId, query, Math.max(1, Math.min(100, Math.floor(limit))));
  }

  async delete(principal: Principal, input: { agentId?: string; key: string }): Promise<{ agentId: string; key: string; deleted: true }> {
    const agentId = this.agentFor(principal, input.agentId);
    if (!(await this.deps.repository.delete(agentId, input.key))) throw notFound(`memory "${input.key}" of agent ${agentId}`);
    return { agentId, key: input.key, deleted: true };
  }

  /**
   * The operator's on-demand consolidation. It rewrites every agent's memory, so only callers
   * acting for the whole mesh may run it: users, the master token, commander and admin tokens.
   */
  async consolidateAsOperator(principal: Principal): Promise<ConsolidationRunSummary> {
    if (!seesWholeMesh(principal)) throw forbidden('consolidation rewrites every agent’s memory: it is run by an operator, not a worker or mobile token');
    return this.consolidate();
  }

  /** One consolidation pass over every agent's memory: the rules, then the model's merges when configured. */
  async consolidate(): Promise<ConsolidationRunSummary> {
    const runId = newId(this.deps.clock.now().getTime());
    const entries = await this.deps.repository.all();
    const changes = planConsolidation(entries);
    if (this.deps.llm.configured) {
      const touched = new Map<string, Set<string>>();
      for (const change of changes) {
        const keys = touched.get(change.agentId) ?? new Set<string>();
        for (const entry of change.replaced) keys.add(entry.key);
        keys.add(change.keptKey);
        touched.set(change.agentId, keys);
      }
      const byAgent = new Map<string, MemoryEntryView[]>();
      for (const entry of entries) byAgent.set(entry.agentId, [...(byAgent.get(entry.agentId) ?? []), entry]);
      for (const [agentId, own] of byAgent) {
        changes.push(...(await proposeModelMerges(this.deps.llm, agentId, own, touched.get(agentId) ?? new Set(), (line) => this.deps.logger.warn(line))));
      }
    }
    const applied = await this.deps.repository.applyConsolidation(runId, changes);
    const count = (action: ConsolidationView['action']) => applied.filter((change) => change.action === action).length;
    return {
      runId,
      merged: count('merged_duplicate'),
      resolved: count('resolved_contradiction'),
      corroborated: count('corroborated'),
      modelMerges: count('model_merge'),
      changes: applied,
    };
  }

  consolidations(principal: Principal, input: { agentId?: string; limit: number }): Promise<ConsolidationView[]> {
    const agentId = principal.kind === 'agent' ? this.agentFor(principal, input.agentId) : input.agentId;
    return this.deps.repository.consolidations(agentId, input.limit);
  }

  /** Which memories went into each attempt's prompt. An agent token sees its own attempts only. */
  async injected(principal: Principal, taskId: string): Promise<InjectedMemoriesView> {
    const task = await this.deps.db.task.findUnique({ where: { id: taskId }, select: { assignedTo: true, createdBy: true } });
    if (!task || !canTouchTask(principal, task)) throw notFound(`task ${taskId}`);
    const attempts = await this.deps.repository.injectedForTask(taskId);
    return { taskId, attempts: principal.kind === 'agent' ? attempts.filter((attempt) => attempt.agentId === principal.agentId) : attempts };
  }
}
