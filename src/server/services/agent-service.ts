// The agent registry: registration, heartbeats, listing, operator updates, and presence
// (online when idle, busy with work, offline after missed heartbeats). Loads and busy/online
// follow task changes inside the task repository's transactions; after a registry change the
// dispatcher re-reads the agent's capacity.
import type { agentsGoOfflineInput, agentsHeartbeatInput, agentsRegisterInput, agentsUpdateInput } from '@/lib/agents';
import type { z } from 'zod';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { LIMITS } from '@/lib/limits';
import { hasPermission, seesWholeMesh, type Principal } from '../auth/principal';
import { effectiveBreakerState, CLOSED_BREAKER, type BreakerRecord } from './tasks/circuit-breaker';
import type { TaskRepository } from '../tasks/task-repository';
import { agentEventView } from './tasks/task-views';

export interface AgentServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: HubConfig;
  repository: Pick<TaskRepository, 'setAgentPresence' | 'markProgress' | 'assignedTaskIds' | 'registerInstance' | 'releaseAgentWork' | 'setClaimingPaused'>;
  /** Called after the registry changed an agent: the dispatcher re-reads it and looks for work for it. */
  onAgentChanged: (agentId: string) => Promise<void>;
  requestDispatch: () => void;
  /** Called when an agent is back after an outage (re-arms the agent-down alert). */
  onRecovered?: (agentId: string) => void;
  /** Tokens the agent used since 00:00 UTC (heartbeats tell the worker where its budget stands). */
  tokensUsedToday: (agentId: string) => number;
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
  /** Why the worker's load gate holds it back from claiming (null: it claims). */
  claimingPaused: string | null;
  tokensUsedToday: number;
  /** The budget that applies: the agent's own, else the hub's default. */
  effectiveDailyTokenBudget: number;
  /** When it went offline (its last status change), for "offline for 3 min"; null while up. */
  offlineSince: string | null;
  /** The open tasks it holds (listed only for principals that may read every task). */
  currentTasks: { id: string; title: string; status: string }[];
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
  claimingPaused: true,
  capabilities: { select: { capability: true }, orderBy: { capability: 'asc' } },
  breaker: { select: { state: true, consecutiveFailures: true, openedAt: true, probeTaskId: true } },
} as const;

/** An agent token acts only as the agent it is bound to. */
export function assertActsAs(principal: Principal, agentId: string): void {
  if (principal.kind === 'agent' && principal.agentId !== agentId) {
    throw forbidden(`this token is bound to agent ${principal.agentId}, not ${agentId}`);
  }
}

/** A claim this young is spared when a heartbeat does not list it yet (the answer may still be on its way). */
const HEARTBEAT_RELEASE_GRACE_MS = 10_000;

export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  async register(principal: Principal, input: z.infer<typeof agentsRegisterInput>): Promise<AgentView> {
    assertActsAs(principal, input.id);
    const now = this.deps.clock.now();
    await this.deps.db.$transaction([
      this.deps.db.agent.upsert({
        where: { id: input.id },
        create: {
          id: input.id,
          name: input.name,
          machine: input.machine,
          kind: input.kind,
          maxConcurrent: input.maxConcurrent,
          // Presence is set next, with its history row and agent_online event.
          status: 'offline',
          lastHeartbeatAt: now,
          createdAt: now,
        },
        update: { name: input.name, machine: input.machine, kind: input.kind, maxConcurrent: input.maxConcurrent, lastHeartbeatAt: now },
      }),
      this.deps.db.agentCapability.deleteMany({ where: { agentId: input.id } }),
      this.deps.db.agentCapability.createMany({ data: [...new Set(input.capabilities)].map((capability) => ({ agentId: input.id, capability })) }),
    ]);
    // A new worker process: what the previous process of this agent was running is given back now,
    // not when the zombie sweeper finds it minutes later.
    if (input.instanceId) await this.deps.repository.registerInstance(input.id, input.instanceId);
    if (await this.deps.repository.setAgentPresence(input.id, 'online')) this.deps.onRecovered?.(input.id);
    await this.deps.onAgentChanged(input.id);
    return this.get(input.id);
  }

  /** A graceful stop: offline at once; assigned and still-running work goes back to the queue. */
  async goOffline(principal: Principal, input: z.infer<typeof agentsGoOfflineInput>): Promise<AgentView> {
    assertActsAs(principal, input.agentId);
    const agent = await this.deps.db.agent.findUnique({ where: { id: input.agentId }, select: { instanceId: true } });
    if (!agent) throw notFound(`agent ${input.agentId}`);
    // A stopping process must not take the agent offline under a newer process of the same agent.
    if (input.instanceId && agent.instanceId && agent.instanceId !== input.instanceId) {
      throw conflict(`instance ${input.instanceId} of agent ${input.agentId} was already replaced`);
    }
    await this.deps.repository.setAgentPresence(input.agentId, 'offline', 'deregistered');
    await this.deps.onAgentChanged(input.agentId);
    return this.get(input.agentId);
  }

  /**
   * A heartbeat; listed tasks count as progress. Answers with the tasks assigned and not yet
   * claimed (the worker's fallback wake-up) and where the daily token budget stands.
   */
  async heartbeat(
    principal: Principal,
    input: z.infer<typeof agentsHeartbeatInput>,
  ): Promise<{ status: string; assignedTaskIds: string[]; budget: { tokensUsedToday: number; dailyTokenBudget: number } }> {
    assertActsAs(principal, input.agentId);
    const now = this.deps.clock.now();
    const agent = await this.deps.db.agent.findUnique({ where: { id: input.agentId }, select: { status: true, dailyTokenBudget: true, instanceId: true, claimingPaused: true } });
    if (!agent) throw notFound(`agent ${input.agentId} (register first)`);
    if (input.instanceId && agent.instanceId !== input.instanceId) {
      throw conflict(`instance ${input.instanceId} of agent ${input.agentId} was replaced by a newer registration; this process should stop`);
    }
    await this.deps.db.agent.update({ where: { id: input.agentId }, data: { lastHeartbeatAt: now, loadAverage: input.loadAverage ?? null } });
    await this.deps.repository.markProgress(input.agentId, input.activeTaskIds);
    const pausedReason = input.claimingPaused?.reason ?? null;
    if (pausedReason !== agent.claimingPaused) {
      await this.deps.repository.setClaimingPaused(input.agentId, pausedReason);
      // Resumed: there may be work for it now.
      if (pausedReason === null) this.deps.requestDispatch();
    }
    if (input.instanceId) {
      // The heartbeat lists what this process runs: any other running attempt of the agent is
      // released, except claims younger than the grace (the worker may not have heard of them yet).
      const released = await this.deps.repository.releaseAgentWork(input.agentId, {
        reason: 'not_held',
        includeAssigned: false,
        keepTaskIds: input.activeTaskIds,
        startedBefore: new Date(now.getTime() - HEARTBEAT_RELEASE_GRACE_MS),
      });
      if (released.length > 0) await this.deps.onAgentChanged(input.agentId);
    }
    if (agent.status === 'offline' && (await this.deps.repository.setAgentPresence(input.agentId, 'online'))) {
      this.deps.onRecovered?.(input.agentId);
      await this.deps.onAgentChanged(input.agentId);
    }
    const assignedTaskIds = await this.deps.repository.assignedTaskIds(input.agentId, 64);
    const current = await this.deps.db.agent.findUniqueOrThrow({ where: { id: input.agentId }, select: { status: true } });
    return {
      status: current.status,
      assignedTaskIds,
      budget: { tokensUsedToday: this.deps.tokensUsedToday(input.agentId), dailyTokenBudget: agent.dailyTokenBudget ?? this.deps.config.dailyTokenBudget },
    };
  }

  /** With a principal that may read every task, each agent names the tasks it holds. */
  async list(principal?: Principal): Promise<AgentView[]> {
    const rows = await this.deps.db.agent.findMany({ select: agentSelect, orderBy: { id: 'asc' }, take: 500 });
    const now = this.deps.clock.now();
    const presence = await this.presence(rows, principal);
    return rows.map((row) => presence(this.toView(row, now)));
  }

  async get(agentId: string, principal?: Principal): Promise<AgentView> {
    const row = await this.deps.db.agent.findUnique({ where: { id: agentId }, select: agentSelect });
    if (!row) throw notFound(`agent ${agentId}`);
    const presence = await this.presence([row], principal);
    return presence(this.toView(row, this.deps.clock.now()));
  }

  /** Since when offline agents are down, and (for principals that may read every task) the tasks busy ones hold. */
  private async presence(rows: { id: string; status: string }[], principal: Principal | undefined) {
    const offlineIds = rows.filter((row) => row.status === 'offline').map((row) => row.id);
    const lastChanges = offlineIds.length
      ? await this.deps.db.agentStatusChange.groupBy({ by: ['agentId'], where: { agentId: { in: offlineIds } }, _max: { at: true } })
      : [];
    const offlineSince = new Map(lastChanges.map((change) => [change.agentId, change._max.at?.toISOString() ?? null]));
    const showsTasks = principal !== undefined && hasPermission(principal, 'tasks:read') && seesWholeMesh(principal);
    const busyIds = rows.filter((row) => row.status !== 'offline').map((row) => row.id);
    const open = showsTasks && busyIds.length
      ? await this.deps.db.task.findMany({
          where: { assignedTo: { in: busyIds }, status: { in: ['assigned', 'running'] } },
          select: { id: true, title: true, status: true, assignedTo: true },
          orderBy: { id: 'asc' },
          take: LIMITS.listRows,
        })
      : [];
    return (view: AgentView): AgentView => ({
      ...view,
      offlineSince: offlineSince.get(view.id) ?? view.offlineSince,
      currentTasks: open.filter((task) => task.assignedTo === view.id).map(({ id, title, status }) => ({ id, title, status })),
    });
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
    await this.deps.onAgentChanged(input.agentId);
    return view;
  }

  /** Marks an agent offline (heartbeat timeout) and gives back what it held; returns false when it already was offline. */
  async markOffline(agentId: string): Promise<boolean> {
    const changed = await this.deps.repository.setAgentPresence(agentId, 'offline', 'heartbeat_timeout');
    if (!changed) return false;
    await this.deps.onAgentChanged(agentId);
    return true;
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
      claimingPaused: string | null;
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
      claimingPaused: row.claimingPaused,
      tokensUsedToday: this.deps.tokensUsedToday(row.id),
      effectiveDailyTokenBudget: row.dailyTokenBudget ?? this.deps.config.dailyTokenBudget,
      offlineSince: row.status === 'offline' ? (row.lastHeartbeatAt?.toISOString() ?? null) : null,
      currentTasks: [],
    };
  }
}
