// Tasks from the worker's side, under leases: claim opens an attempt (its id is the lease) on
// each task the hub assigned to the agent; every stream chunk, report and handoff names that
// attempt, and one naming a stale attempt is refused (409) and changes nothing. Reports carry
// an idempotency key so a resent report gets the first answer and changes nothing.
import { newId } from '@/lib/ids';
import { capTaskOutput, LIMITS, utf8Bytes } from '@/lib/limits';
import { CONTINUATION_PREFIX, MAX_PRIORITY, PRIORITY_BUMP, type tasksReportInput } from '@/lib/tasks';
import type { z } from 'zod';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { principalLabel, type Principal } from '../auth/principal';
import { assertActsAs } from './agent-service';
import { breakerAfterFailure, breakerAfterSuccess, CLOSED_BREAKER, type BreakerRecord } from './circuit-breaker';
import { GENERAL_CAPABILITY } from './reputation';
import type { TaskService } from './task-service';
import { taskEventSelect, taskEventView, taskScope } from './task-views';

export interface ExecutionCosts {
  assertWithinBudget(agentId: string): Promise<void>;
  logUsage(input: { agentId: string; taskId?: string; model: string; inputTokens: number; outputTokens: number; reportedCostUsd?: number }): Promise<unknown>;
}

export interface ExecutionEscalations {
  escalate(input: { fromAgent: string; taskId: string | null; reason: string }): Promise<unknown>;
}

export interface TaskExecutionDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: HubConfig;
  tasks: TaskService;
  costs: ExecutionCosts;
  escalations: ExecutionEscalations;
  requestDispatch: () => void;
  refreshLoads: (agentIds: Iterable<string>) => Promise<void>;
}

export interface ClaimedTask {
  taskId: string;
  attemptId: string;
  attempt: number;
  title: string;
  prompt: string;
  priority: number;
  requiredCapability: string | null;
  model: string | null;
  deadline: string | null;
}

export type ReportResult = { taskId: string; status: string; attempts: number };

export class TaskExecutionService {
  constructor(private readonly deps: TaskExecutionDeps) {}

  /** Takes the tasks assigned to the agent and moves them to running, each under a new attempt. */
  async claim(principal: Principal, input: { agentId?: string; limit: number }): Promise<ClaimedTask[]> {
    const agentId = input.agentId ?? (principal.kind === 'agent' ? principal.agentId : undefined);
    if (!agentId) throw new AppError('bad_input', 'agentId: required unless the token is bound to an agent', { field: 'agentId' });
    assertActsAs(principal, agentId);
    await this.deps.costs.assertWithinBudget(agentId);
    const now = this.deps.clock.now();
    const assigned = await this.deps.db.task.findMany({
      where: { assignedTo: agentId, status: 'assigned' },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }],
      take: input.limit,
    });
    const claimed: ClaimedTask[] = [];
    for (const task of assigned) {
      const attemptId = newId(now.getTime());
      const attempt = task.attempts + 1;
      const taken = await this.deps.db.$transaction(async (tx) => {
        // The conditional update is the claim: only one caller can move it from assigned.
        const moved = await tx.task.updateMany({
          where: { id: task.id, status: 'assigned', assignedTo: agentId },
          data: { status: 'running', attempts: attempt, currentAttemptId: attemptId, startedAt: now, lastProgressAt: now },
        });
        if (moved.count === 0) return false;
        await tx.taskAttempt.create({ data: { id: attemptId, taskId: task.id, agentId, number: attempt, status: 'running', startedAt: now } });
        return true;
      });
      if (!taken) continue;
      claimed.push({
        taskId: task.id,
        attemptId,
        attempt,
        title: task.title,
        prompt: task.prompt,
        priority: task.priority,
        requiredCapability: task.requiredCapability,
        model: task.model,
        deadline: task.deadline?.toISOString() ?? null,
      });
      await this.deps.events.publish(
        'task_claimed',
        { ...taskEventView({ ...task, status: 'running' }), attemptId, attempt },
        taskScope(task),
      );
    }
    return claimed;
  }

  /** The result of an attempt: done with output, or failed (requeued before the attempt limit). */
  async report(principal: Principal, input: z.infer<typeof tasksReportInput>): Promise<ReportResult> {
    if (principal.kind === 'agent' && (!input.attemptId || !input.idempotencyKey)) {
      throw new AppError('bad_input', 'attemptId and idempotencyKey: required in a worker’s report', { field: input.attemptId ? 'idempotencyKey' : 'attemptId' });
    }
    const idempotencyKey = input.idempotencyKey ? `report:${principalLabel(principal)}:${input.idempotencyKey}` : null;
    if (idempotencyKey) {
      const previous = await this.deps.db.idempotencyKey.findUnique({ where: { key: idempotencyKey } });
      if (previous) return JSON.parse(previous.response) as ReportResult;
    }
    const task = await this.loadLeasedTask(principal, input.taskId, input.attemptId);
    const now = this.deps.clock.now();
    const agentId = task.assignedTo;
    let result: ReportResult;

    if (input.usage && agentId) {
      await this.deps.costs.logUsage({
        agentId,
        taskId: task.id,
        model: input.usage.model,
        inputTokens: input.usage.inputTokens,
        outputTokens: input.usage.outputTokens,
        reportedCostUsd: input.usage.costUsd,
      });
    }

    if (input.status === 'done') {
      const output = input.output === undefined ? null : capTaskOutput(input.output);
      const changed = await this.deps.db.task.updateMany({
        where: { id: task.id, status: task.status, currentAttemptId: task.currentAttemptId },
        data: { status: 'done', output, error: null, confidence: input.confidence ?? null, completedAt: now, currentAttemptId: null },
      });
      if (changed.count === 0) throw conflict(`attempt ${input.attemptId ?? ''} is no longer current for task ${task.id}`);
      if (task.currentAttemptId) {
        await this.deps.db.taskAttempt.updateMany({ where: { id: task.currentAttemptId }, data: { status: 'done', endedAt: now } });
      }
      if (agentId) await this.recordOutcome(agentId, task.requiredCapability, true, task.id);
      const updated = await this.deps.db.task.findUniqueOrThrow({ where: { id: task.id }, select: taskEventSelect });
      await this.deps.events.publish('task_completed', { ...taskEventView(updated), attemptId: task.currentAttemptId }, taskScope(updated));
      if (agentId) await this.deps.refreshLoads([agentId]);
      this.deps.requestDispatch();
      result = { taskId: task.id, status: 'done', attempts: task.attempts };
    } else {
      if (agentId) await this.recordOutcome(agentId, task.requiredCapability, false, task.id, input.error);
      const countAttempt = task.status === 'assigned';
      const outcome = await this.deps.tasks.requeueOrFail(task.id, {
        reason: 'worker_failure',
        error: input.error ?? 'the worker reported a failure',
        countAttempt,
        attemptStatus: 'failed',
      });
      if (outcome === 'unchanged') throw conflict(`attempt ${input.attemptId ?? ''} is no longer current for task ${task.id}`);
      // What this report did; dispatch may already have handed the task out again.
      result = { taskId: task.id, status: outcome === 'failed' ? 'failed' : 'queued', attempts: task.attempts + (countAttempt ? 1 : 0) };
    }

    if (idempotencyKey) {
      await this.deps.db.idempotencyKey.create({ data: { key: idempotencyKey, scope: 'tasks.report', response: JSON.stringify(result), createdAt: now } });
    }
    return result;
  }

  /** Appends partial output to the task's stream log (only the assigned agent, current attempt). */
  async stream(principal: Principal, input: { taskId: string; attemptId: string; content: string }): Promise<{ streamBytes: number; truncatedBefore: boolean }> {
    const task = await this.loadLeasedTask(principal, input.taskId, input.attemptId);
    if (task.status !== 'running') throw conflict(`task ${task.id} is ${task.status}; claim it before streaming`);
    const now = this.deps.clock.now();
    const bytes = utf8Bytes(input.content);
    let streamBytes = task.streamBytes + bytes;
    let truncated = task.streamTruncated;
    await this.deps.db.taskStreamChunk.create({ data: { taskId: task.id, attemptId: input.attemptId, content: input.content, bytes, createdAt: now } });
    if (streamBytes > LIMITS.taskStreamLogBytes) {
      // Past the cap the oldest chunks go, and the task says so.
      const chunks = await this.deps.db.taskStreamChunk.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' }, select: { id: true, bytes: true } });
      const drop: number[] = [];
      for (const chunk of chunks) {
        if (streamBytes <= LIMITS.taskStreamLogBytes) break;
        drop.push(chunk.id);
        streamBytes -= chunk.bytes;
      }
      await this.deps.db.taskStreamChunk.deleteMany({ where: { id: { in: drop } } });
      truncated = true;
    }
    await this.deps.db.task.update({ where: { id: task.id }, data: { streamBytes, streamTruncated: truncated, lastProgressAt: now } });
    await this.deps.events.publish(
      'task_stream',
      { taskId: task.id, attemptId: input.attemptId, agentId: task.assignedTo ?? '', content: input.content, truncatedBefore: truncated },
      taskScope(task),
    );
    return { streamBytes, truncatedBefore: truncated };
  }

  /**
   * Spec section 13: the original task is suspended with the partial output; a continuation
   * with the same capability, at bumped priority, carries the partial work and is dispatched.
   */
  async handoff(principal: Principal, input: { taskId: string; attemptId?: string; partialOutput: string; reason?: string }) {
    const task = await this.loadLeasedTask(principal, input.taskId, input.attemptId);
    const now = this.deps.clock.now();
    const continuationId = newId(now.getTime());
    const prompt = `${CONTINUE_HEADER(input.partialOutput)}\n\nORIGINAL TASK:\n${task.prompt}`;
    const suspended = await this.deps.db.$transaction(async (tx) => {
      const moved = await tx.task.updateMany({
        where: { id: task.id, status: task.status, currentAttemptId: task.currentAttemptId },
        data: { status: 'suspended', output: input.partialOutput, completedAt: now, currentAttemptId: null },
      });
      if (moved.count === 0) return false;
      if (task.currentAttemptId) {
        await tx.taskAttempt.updateMany({ where: { id: task.currentAttemptId }, data: { status: 'handed_off', endedAt: now } });
      }
      await tx.task.create({
        data: {
          id: continuationId,
          title: task.title,
          prompt,
          priority: Math.min(MAX_PRIORITY, task.priority + PRIORITY_BUMP),
          requiredCapability: task.requiredCapability,
          deadline: task.deadline,
          urgency: task.urgency,
          model: task.model,
          createdBy: principalLabel(principal),
          continuesTaskId: task.id,
          createdAt: now,
        },
      });
      return true;
    });
    if (!suspended) throw conflict(`attempt ${input.attemptId ?? ''} is no longer current for task ${task.id}`);
    const continuation = await this.deps.db.task.findUniqueOrThrow({ where: { id: continuationId }, select: taskEventSelect });
    await this.deps.events.publish('task_created', taskEventView(continuation), { permission: 'tasks:read' });
    await this.deps.events.publish('task_handoff', { taskId: task.id, continuationTaskId: continuationId, fromAgentId: task.assignedTo ?? '' }, taskScope(task));
    if (task.assignedTo) await this.deps.refreshLoads([task.assignedTo]);
    this.deps.requestDispatch();
    return { taskId: task.id, status: 'suspended', continuationTaskId: continuationId };
  }

  /**
   * Loads a task for a lease-bound call. An agent must be the assignee (403 otherwise, the IDOR
   * check) and name the current attempt (409 for a stale one); an operator may act without one.
   */
  private async loadLeasedTask(principal: Principal, taskId: string, attemptId: string | undefined) {
    const task = await this.deps.db.task.findUnique({ where: { id: taskId } });
    if (!task) throw notFound(`task ${taskId}`);
    if (principal.kind === 'agent') {
      if (task.assignedTo !== principal.agentId) throw forbidden(`task ${taskId} is not assigned to agent ${principal.agentId}`);
      if (!attemptId) throw new AppError('bad_input', 'attemptId: required for an agent', { field: 'attemptId' });
    }
    if (attemptId !== undefined && task.currentAttemptId !== attemptId) {
      throw conflict(`attempt ${attemptId} is stale for task ${taskId} (the task was requeued, cancelled or handed off)`);
    }
    if (task.status !== 'running' && task.status !== 'assigned') throw conflict(`task ${taskId} is ${task.status}`);
    return task;
  }

  /** Reputation and breaker bookkeeping for one verdict; 3 consecutive failures escalate. */
  private async recordOutcome(agentId: string, capability: string | null, success: boolean, taskId: string, error?: string): Promise<void> {
    const now = this.deps.clock.now();
    const key = capability ?? GENERAL_CAPABILITY;
    await this.deps.db.capabilityOutcome.upsert({
      where: { agentId_capability: { agentId, capability: key } },
      create: { agentId, capability: key, successes: success ? 1 : 0, failures: success ? 0 : 1 },
      update: success ? { successes: { increment: 1 } } : { failures: { increment: 1 } },
    });
    const stored = await this.deps.db.breakerState.findUnique({ where: { agentId } });
    const before = (stored as BreakerRecord | null) ?? CLOSED_BREAKER;
    const settings = { failureThreshold: this.deps.config.breakerFailures, cooldownMs: this.deps.config.breakerCooldownSeconds * 1000 };
    const after = success ? breakerAfterSuccess() : breakerAfterFailure(before, now, settings);
    if (!stored && after.state === 'closed' && after.consecutiveFailures === 0) return;
    await this.deps.db.breakerState.upsert({
      where: { agentId },
      create: { agentId, ...after },
      update: { state: after.state, consecutiveFailures: after.consecutiveFailures, openedAt: after.openedAt, probeTaskId: after.probeTaskId },
    });
    if (after.state !== before.state) {
      await this.deps.events.publish('breaker_changed', { agentId, state: after.state, consecutiveFailures: after.consecutiveFailures }, { permission: 'agents:read', agentId });
    }
    if (!success && after.consecutiveFailures === this.deps.config.breakerFailures) {
      await this.deps.escalations.escalate({
        fromAgent: agentId,
        taskId,
        reason: `${after.consecutiveFailures} consecutive failures${error ? `; last: ${error.slice(0, 300)}` : ''}`,
      });
    }
  }
}

function CONTINUE_HEADER(partialOutput: string): string {
  return `${CONTINUATION_PREFIX}\n${partialOutput}`;
}
