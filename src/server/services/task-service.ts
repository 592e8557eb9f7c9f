// Tasks from the operator's side: create (then dispatch), get, list with filters and cursor
// paging, cancel (the worker hears it and stops), retry, the stream log; and the requeue-or-fail
// rule shared by worker reports and the sweepers.
import { newId } from '@/lib/ids';
import { LIMITS } from '@/lib/limits';
import type { tasksCreateInput, tasksListInput } from '@/lib/tasks';
import type { z } from 'zod';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { conflict, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { principalLabel, type Principal } from '../auth/principal';
import { breakerAfterProbeAbandoned, type BreakerRecord } from './circuit-breaker';
import { taskEventSelect, taskEventView, taskScope } from './task-views';

export interface TaskAlerts {
  send(alert: { kind: 'task_failed' | 'deadline'; dedupKey: string; title: string; message: string; priority?: number }): Promise<unknown>;
}

export interface TaskServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: HubConfig;
  alerts: TaskAlerts;
  requestDispatch: () => void;
  refreshLoads: (agentIds: Iterable<string>) => Promise<void>;
}

export type RequeueReason = 'worker_failure' | 'zombie' | 'agent_offline' | 'retry';

export interface TaskDetail {
  id: string;
  title: string;
  prompt: string;
  status: string;
  priority: number;
  urgency: string;
  assignedTo: string | null;
  assignTo: string | null;
  requiredCapability: string | null;
  deadline: string | null;
  model: string | null;
  output: string | null;
  error: string | null;
  confidence: number | null;
  attempts: number;
  createdBy: string;
  continuesTaskId: string | null;
  streamBytes: number;
  streamTruncated: boolean;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  attemptHistory: { id: string; number: number; agentId: string; status: string; startedAt: string; endedAt: string | null }[];
  costs: { model: string; inputTokens: number; outputTokens: number; costUsd: number; costSource: string }[];
}

export interface TaskSummary {
  id: string;
  title: string;
  status: string;
  priority: number;
  urgency: string;
  assignedTo: string | null;
  requiredCapability: string | null;
  deadline: string | null;
  confidence: number | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  async create(principal: Principal, input: z.infer<typeof tasksCreateInput>): Promise<TaskSummary> {
    const now = this.deps.clock.now();
    const task = await this.deps.db.task.create({
      data: {
        id: newId(now.getTime()),
        title: input.title,
        prompt: input.prompt,
        priority: input.priority,
        requiredCapability: input.requiredCapability ?? null,
        assignTo: input.assignTo ?? null,
        deadline: input.deadline ? new Date(input.deadline) : null,
        model: input.model ?? null,
        createdBy: principalLabel(principal),
        createdAt: now,
      },
    });
    await this.deps.events.publish('task_created', taskEventView(task), { permission: 'tasks:read' });
    this.deps.requestDispatch();
    return toSummary(task);
  }

  async get(taskId: string): Promise<TaskDetail> {
    const task = await this.deps.db.task.findUnique({
      where: { id: taskId },
      include: {
        attemptRecords: { orderBy: { number: 'asc' } },
        costs: { select: { model: true, inputTokens: true, outputTokens: true, costUsd: true, costSource: true }, orderBy: { createdAt: 'asc' } },
      },
    });
    if (!task) throw notFound(`task ${taskId}`);
    return {
      ...toSummary(task),
      prompt: task.prompt,
      assignTo: task.assignTo,
      model: task.model,
      output: task.output,
      error: task.error,
      createdBy: task.createdBy,
      continuesTaskId: task.continuesTaskId,
      streamBytes: task.streamBytes,
      streamTruncated: task.streamTruncated,
      startedAt: iso(task.startedAt),
      completedAt: iso(task.completedAt),
      attemptHistory: task.attemptRecords.map((attempt) => ({
        id: attempt.id,
        number: attempt.number,
        agentId: attempt.agentId,
        status: attempt.status,
        startedAt: attempt.startedAt.toISOString(),
        endedAt: iso(attempt.endedAt),
      })),
      costs: task.costs,
    };
  }

  /** Newest first; `nextCursor` continues the listing (ids are time-ordered). */
  async list(input: z.infer<typeof tasksListInput>): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }> {
    const rows = await this.deps.db.task.findMany({
      where: {
        status: input.status,
        assignedTo: input.agentId,
        requiredCapability: input.capability,
        ...(input.text ? { OR: [{ title: { contains: input.text } }, { prompt: { contains: input.text } }] } : {}),
        ...(input.cursor ? { id: { lt: input.cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    return { tasks: page.map(toSummary), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
  }

  async chunks(taskId: string, afterChunkId: number | undefined, limit: number) {
    const task = await this.deps.db.task.findUnique({ where: { id: taskId }, select: { streamTruncated: true } });
    if (!task) throw notFound(`task ${taskId}`);
    const rows = await this.deps.db.taskStreamChunk.findMany({
      where: { taskId, ...(afterChunkId !== undefined ? { id: { gt: afterChunkId } } : {}) },
      orderBy: { id: 'asc' },
      take: Math.min(limit, LIMITS.listRows),
      select: { id: true, attemptId: true, content: true, createdAt: true },
    });
    return { truncatedBefore: task.streamTruncated, chunks: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) };
  }

  /** Cancels an unfinished task; its worker learns from task_cancelled and stops the model. */
  async cancel(taskId: string): Promise<TaskSummary> {
    const now = this.deps.clock.now();
    const task = await this.deps.db.task.findUnique({ where: { id: taskId } });
    if (!task) throw notFound(`task ${taskId}`);
    if (!['queued', 'assigned', 'running'].includes(task.status)) throw conflict(`task ${taskId} is ${task.status} and cannot be cancelled`);
    const changed = await this.deps.db.task.updateMany({
      where: { id: taskId, status: task.status },
      data: { status: 'cancelled', completedAt: now, currentAttemptId: null },
    });
    if (changed.count === 0) throw conflict(`task ${taskId} changed meanwhile; try again`);
    if (task.currentAttemptId) {
      await this.deps.db.taskAttempt.updateMany({ where: { id: task.currentAttemptId, status: 'running' }, data: { status: 'cancelled', endedAt: now } });
    }
    if (task.assignedTo) await this.releaseProbe(task.assignedTo, taskId);
    const updated = await this.deps.db.task.findUniqueOrThrow({ where: { id: taskId } });
    await this.deps.events.publish('task_cancelled', taskEventView(updated), taskScope(updated));
    if (task.assignedTo) {
      await this.deps.refreshLoads([task.assignedTo]);
      this.deps.requestDispatch();
    }
    return toSummary(updated);
  }

  /** Puts a failed or cancelled task back in the queue with a fresh attempt budget. */
  async retry(taskId: string): Promise<TaskSummary> {
    const task = await this.deps.db.task.findUnique({ where: { id: taskId }, select: { status: true } });
    if (!task) throw notFound(`task ${taskId}`);
    if (task.status !== 'failed' && task.status !== 'cancelled') throw conflict(`task ${taskId} is ${task.status}; only failed or cancelled tasks can be retried`);
    const changed = await this.deps.db.task.updateMany({
      where: { id: taskId, status: task.status },
      data: { status: 'queued', attempts: 0, assignedTo: null, assignedAt: null, currentAttemptId: null, error: null, completedAt: null },
    });
    if (changed.count === 0) throw conflict(`task ${taskId} changed meanwhile; try again`);
    const updated = await this.deps.db.task.findUniqueOrThrow({ where: { id: taskId } });
    await this.deps.events.publish('task_requeued', { ...taskEventView(updated), reason: 'retry' }, taskScope(updated));
    this.deps.requestDispatch();
    return toSummary(updated);
  }

  /**
   * An attempt ended without a result (the worker reported failure, or a sweeper found the task
   * stalled or its agent gone). Before the attempt limit the task returns to the queue;
   * at it, the task fails and the task-failed alert fires once.
   * `countAttempt` adds one to attempts (tasks taken back before they were ever claimed).
   */
  async requeueOrFail(
    taskId: string,
    options: { reason: RequeueReason; error?: string; countAttempt: boolean; attemptStatus: 'failed' | 'stale' },
  ): Promise<'requeued' | 'failed' | 'unchanged'> {
    const now = this.deps.clock.now();
    const task = await this.deps.db.task.findUnique({ where: { id: taskId } });
    if (!task || (task.status !== 'assigned' && task.status !== 'running')) return 'unchanged';
    const attempts = task.attempts + (options.countAttempt ? 1 : 0);
    const exhausted = attempts >= this.deps.config.maxAttempts;
    const changed = await this.deps.db.task.updateMany({
      where: { id: taskId, status: task.status, currentAttemptId: task.currentAttemptId },
      data: exhausted
        ? { status: 'failed', attempts, error: options.error ?? task.error, completedAt: now, currentAttemptId: null }
        : { status: 'queued', attempts, error: options.error ?? task.error, assignedTo: null, assignedAt: null, currentAttemptId: null },
    });
    if (changed.count === 0) return 'unchanged';
    if (task.currentAttemptId) {
      await this.deps.db.taskAttempt.updateMany({ where: { id: task.currentAttemptId, status: 'running' }, data: { status: options.attemptStatus, endedAt: now } });
    }
    if (task.assignedTo && options.attemptStatus === 'stale') await this.releaseProbe(task.assignedTo, taskId);
    const updated = await this.deps.db.task.findUniqueOrThrow({ where: { id: taskId }, select: taskEventSelect });
    if (exhausted) {
      await this.deps.events.publish('task_failed', { ...taskEventView({ ...updated, assignedTo: task.assignedTo }), attemptId: task.currentAttemptId, error: options.error ?? null }, taskScope(task));
      await this.deps.alerts.send({
        kind: 'task_failed',
        dedupKey: taskId,
        title: `Task failed: ${task.title}`,
        message: `"${task.title}" failed after ${attempts} attempts${task.assignedTo ? ` (last on ${task.assignedTo})` : ''}.`,
        priority: 4,
      });
    } else {
      await this.deps.events.publish('task_requeued', { ...taskEventView(updated), reason: options.reason }, taskScope(task));
    }
    if (task.assignedTo) await this.deps.refreshLoads([task.assignedTo]);
    this.deps.requestDispatch();
    return exhausted ? 'failed' : 'requeued';
  }

  /** A half-open breaker's probe that ended without a verdict frees the way for another. */
  private async releaseProbe(agentId: string, taskId: string): Promise<void> {
    const breaker = await this.deps.db.breakerState.findUnique({ where: { agentId } });
    if (!breaker || breaker.probeTaskId !== taskId) return;
    const released = breakerAfterProbeAbandoned(breaker as BreakerRecord, taskId);
    await this.deps.db.breakerState.update({ where: { agentId }, data: { probeTaskId: released.probeTaskId } });
  }
}

function toSummary(task: {
  id: string;
  title: string;
  status: string;
  priority: number;
  urgency: string;
  assignedTo: string | null;
  requiredCapability: string | null;
  deadline: Date | null;
  confidence: number | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}): TaskSummary {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    urgency: task.urgency,
    assignedTo: task.assignedTo,
    requiredCapability: task.requiredCapability,
    deadline: iso(task.deadline),
    confidence: task.confidence,
    attempts: task.attempts,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}
