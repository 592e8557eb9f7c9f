// The agent registry: registration, heartbeats, listing, operator updates, and the load and
// status bookkeeping (online when idle, busy with work, offline after missed heartbeats).
import { newId } from '@/lib/ids';
import type { agentsRegisterInput, agentsUpdateInput } from '@/lib/agents';
import type { z } from 'zod';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { Principal } from '../auth/principal';
import { effectiveBreakerState, CLOSED_BREAKER, type BreakerRecord } from './circuit-breaker';
import { agentEventView } from './task-views';

export interface AgentServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: HubConfig;
  /** Called when capacity may have appeared (an agent came online or changed). */
  onCapacity: () => void;
  /** Called when an agent is back after an outage (re-arms the agent-down alert). */
  onRecovered?: (agentId: string) => void;
  /** Tokens each agent used since 00:00 UTC (heartbeats tell the worker where its budget stands). */
  tokensUsedToday: (agentIds: string[]) => Promise<Map<string, number>>;
}

export interface AgentView {
  id: string;
  name: string;
  machine: string;
  kind: string;
  status: string;
  capabilities: string[];
  maxConcurrent: number;
  activeTasks: number;
  loadAverage: number | null;
  dailyTokenBudget: number | null;
  lastHeartbeatAt: string | null;
  breaker: { state: string; consecutiveFailures: number };
  createdAt: string;
}

const agentSelect = {
  id: true,
  name: true,
  machine: true,
  kind: true,
  status: true,
  maxConcurrent: true,
  activeTasks: true,
  loadAverage: true,
  dailyTokenBudget: true,
  lastHeartbeatAt: true,
  createdAt: true,
  capabilities: { select: { capability: true }, orderBy: { capability: 'asc' } },
  breaker: { select: { state: true, consecutiveFailures: true, openedAt: true, probeTaskId: true } },
} as const;

/** An agent token acts only as the agent it is bound to. */
export function assertActsAs(principal: Principal, agentId: string): void {
  if (principal.kind === 'agent' && principal.agentId !== agentId) {
    throw forbidden(`this token is bound to agent ${principal.agentId}, not ${agentId}`);
  }
}

export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  async register(principal: Principal, input: z.infer<typeof agentsRegisterInput>): Promise<AgentView> {
    assertActsAs(principal, input.id);
    const now = this.deps.clock.now();
    const before = await this.deps.db.agent.findUnique({ where: { id: input.id }, select: { status: true } });
    await this.deps.db.$transaction([
      this.deps.db.agent.upsert({
        where: { id: input.id },
        create: {
          id: input.id,
          name: input.name,
          machine: input.machine,
          kind: input.kind,
          maxConcurrent: input.maxConcurrent,
          status: 'online',
          lastHeartbeatAt: now,
          createdAt: now,
        },
        update: { name: input.name, machine: input.machine, kind: input.kind, maxConcurrent: input.maxConcurrent, lastHeartbeatAt: now },
      }),
      this.deps.db.agentCapability.deleteMany({ where: { agentId: input.id } }),
      this.deps.db.agentCapability.createMany({ data: [...new Set(input.capabilities)].map((capability) => ({ agentId: input.id, capability })) }),
    ]);
    await this.comeOnline(input.id, before?.status ?? 'offline', now);
    this.deps.onCapacity();
    return this.get(input.id);
  }

  /**
   * A heartbeat; listed tasks count as progress. Answers with the tasks assigned and not yet
   * claimed (the worker's fallback wake-up) and where the daily token budget stands.
   */
  async heartbeat(
    principal: Principal,
    input: { agentId: string; loadAverage?: number; activeTaskIds: string[] },
  ): Promise<{ status: string; assignedTaskIds: string[]; budget: { tokensUsedToday: number; dailyTokenBudget: number } }> {
    assertActsAs(principal, input.agentId);
    const now = this.deps.clock.now();
    const agent = await this.deps.db.agent.findUnique({ where: { id: input.agentId }, select: { status: true, dailyTokenBudget: true } });
    if (!agent) throw notFound(`agent ${input.agentId} (register first)`);
    await this.deps.db.agent.update({ where: { id: input.agentId }, data: { lastHeartbeatAt: now, loadAverage: input.loadAverage ?? null } });
    if (input.activeTaskIds.length > 0) {
      await this.deps.db.task.updateMany({
        where: { id: { in: input.activeTaskIds }, assignedTo: input.agentId, status: { in: ['assigned', 'running'] } },
        data: { lastProgressAt: now },
      });
    }
    if (agent.status === 'offline') {
      await this.comeOnline(input.agentId, 'offline', now);
      this.deps.onCapacity();
    }
    const assigned = await this.deps.db.task.findMany({
      where: { assignedTo: input.agentId, status: 'assigned' },
      select: { id: true },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }],
      take: 64,
    });
    const current = await this.deps.db.agent.findUniqueOrThrow({ where: { id: input.agentId }, select: { status: true } });
    const used = await this.deps.tokensUsedToday([input.agentId]);
    return {
      status: current.status,
      assignedTaskIds: assigned.map((task) => task.id),
      budget: { tokensUsedToday: used.get(input.agentId) ?? 0, dailyTokenBudget: agent.dailyTokenBudget ?? this.deps.config.dailyTokenBudget },
    };
  }

  async list(): Promise<AgentView[]> {
    const rows = await this.deps.db.agent.findMany({ select: agentSelect, orderBy: { id: 'asc' }, take: 500 });
    const now = this.deps.clock.now();
    return rows.map((row) => this.toView(row, now));
  }

  async get(agentId: string): Promise<AgentView> {
    const row = await this.deps.db.agent.findUnique({ where: { id: agentId }, select: agentSelect });
    if (!row) throw notFound(`agent ${agentId}`);
    return this.toView(row, this.deps.clock.now());
  }

  async update(input: z.infer<typeof agentsUpdateInput>): Promise<AgentView> {
    const existing = await this.deps.db.agent.findUnique({ where: { id: input.agentId }, select: { id: true } });
    if (!existing) throw notFound(`agent ${input.agentId}`);
    await this.deps.db.$transaction([
      this.deps.db.agent.update({
        where: { id: input.agentId },
        data: { name: input.name, machine: input.machine, maxConcurrent: input.maxConcurrent, dailyTokenBudget: input.dailyTokenBudget },
      }),
      ...(input.capabilities
        ? [
            this.deps.db.agentCapability.deleteMany({ where: { agentId: input.agentId } }),
            this.deps.db.agentCapability.createMany({ data: [...new Set(input.capabilities)].map((capability) => ({ agentId: input.agentId, capability })) }),
          ]
        : []),
    ]);
    const view = await this.get(input.agentId);
    await this.deps.events.publish('agent_updated', agentEventView(view), { permission: 'agents:read', agentId: view.id });
    this.deps.onCapacity();
    return view;
  }

  /**
   * Recounts agents' open tasks (assigned or running) and sets busy/online to match; an
   * offline agent stays offline. Publishes agent_updated for each agent that changed.
   */
  async refreshLoads(agentIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(agentIds)];
    if (ids.length === 0) return;
    const counts = await this.deps.db.task.groupBy({
      by: ['assignedTo'],
      where: { assignedTo: { in: ids }, status: { in: ['assigned', 'running'] } },
      _count: { _all: true },
    });
    const countByAgent = new Map(counts.map((row) => [row.assignedTo, row._count._all]));
    const agents = await this.deps.db.agent.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, status: true, activeTasks: true, maxConcurrent: true },
    });
    const now = this.deps.clock.now();
    for (const agent of agents) {
      const activeTasks = countByAgent.get(agent.id) ?? 0;
      const status = agent.status === 'offline' ? 'offline' : activeTasks > 0 ? 'busy' : 'online';
      if (activeTasks === agent.activeTasks && status === agent.status) continue;
      await this.deps.db.agent.update({ where: { id: agent.id }, data: { activeTasks, status } });
      if (status !== agent.status) await this.recordStatus(agent.id, status, now);
      await this.deps.events.publish('agent_updated', agentEventView({ ...agent, activeTasks, status }), { permission: 'agents:read', agentId: agent.id });
    }
  }

  /** Marks an agent offline (heartbeat timeout); returns false when it already was. */
  async markOffline(agentId: string, now: Date): Promise<boolean> {
    const changed = await this.deps.db.agent.updateMany({ where: { id: agentId, status: { not: 'offline' } }, data: { status: 'offline' } });
    if (changed.count === 0) return false;
    await this.recordStatus(agentId, 'offline', now);
    await this.deps.events.publish('agent_offline', { agentId, reason: 'heartbeat_timeout' }, { permission: 'agents:read', agentId });
    return true;
  }

  private async comeOnline(agentId: string, previousStatus: string, now: Date): Promise<void> {
    if (previousStatus !== 'offline') {
      await this.refreshLoads([agentId]);
      return;
    }
    await this.deps.db.agent.update({ where: { id: agentId }, data: { status: 'online' } });
    await this.recordStatus(agentId, 'online', now);
    const agent = await this.deps.db.agent.findUniqueOrThrow({ where: { id: agentId }, select: { name: true, kind: true } });
    await this.deps.events.publish('agent_online', { agentId, name: agent.name, kind: agent.kind }, { permission: 'agents:read', agentId });
    this.deps.onRecovered?.(agentId);
    await this.refreshLoads([agentId]);
  }

  private async recordStatus(agentId: string, status: string, at: Date): Promise<void> {
    await this.deps.db.agentStatusChange.create({ data: { id: newId(at.getTime()), agentId, status, at } });
  }

  private toView(
    row: {
      id: string;
      name: string;
      machine: string;
      kind: string;
      status: string;
      maxConcurrent: number;
      activeTasks: number;
      loadAverage: number | null;
      dailyTokenBudget: number | null;
      lastHeartbeatAt: Date | null;
      createdAt: Date;
      capabilities: { capability: string }[];
      breaker: { state: string; consecutiveFailures: number; openedAt: Date | null; probeTaskId: string | null } | null;
    },
    now: Date,
  ): AgentView {
    const breaker = (row.breaker as BreakerRecord | null) ?? CLOSED_BREAKER;
    return {
      id: row.id,
      name: row.name,
      machine: row.machine,
      kind: row.kind,
      status: row.status,
      capabilities: row.capabilities.map((entry) => entry.capability),
      maxConcurrent: row.maxConcurrent,
      activeTasks: row.activeTasks,
      loadAverage: row.loadAverage,
      dailyTokenBudget: row.dailyTokenBudget,
      lastHeartbeatAt: row.lastHeartbeatAt?.toISOString() ?? null,
      breaker: {
        state: effectiveBreakerState(breaker, now, { failureThreshold: this.deps.config.breakerFailures, cooldownMs: this.deps.config.breakerCooldownSeconds * 1000 }),
        consecutiveFailures: breaker.consecutiveFailures,
      },
      createdAt: row.createdAt.toISOString(),
    };
  }
}
