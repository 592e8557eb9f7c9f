// Tasks from the worker's side, under leases: claim opens an attempt (its id is the lease) on
// each task the hub assigned to the agent; every stream chunk, report and handoff names that
// attempt, and one naming a stale attempt is refused (409) and changes nothing. Reports carry
// an idempotency key so a resent report gets the first answer and changes nothing. Each call is
// one repository transaction; alerts, escalations and dispatch follow its commit.
import { priceUsage } from '@/lib/prices';
import type { tasksReportInput } from '@/lib/tasks';
import type { z } from 'zod';
import type { Clock } from '../../clock';
import type { HubConfig } from '../../config';
import { AppError } from '../../errors';
import { principalLabel, type Principal } from '../../auth/principal';
import type { ClaimWaiters } from '../../tasks/claim-waiters';
import type { MeshCapacity } from '../../tasks/mesh-capacity';
import type { AttemptReport, ClaimedTask, ReportEffects, ReportResult, TaskRepository } from '../../tasks/task-repository';
import { assertActsAs } from '../agent-service';
import type { TaskService } from './task-service';
import type { HubLogger } from '../../logging/logger';

export interface ExecutionCosts {
  assertWithinBudget(agentId: string): Promise<void>;
  /** The budget alert after usage was logged (once per UTC day per agent). */
  checkBudgetAlert(agentId: string): Promise<void>;
}

export interface ExecutionEscalations {
  escalate(input: { fromAgent: string; taskId: string | null; reason: string }): Promise<unknown>;
}

export interface TaskExecutionDeps {
  repository: TaskRepository;
  capacity: MeshCapacity;
  clock: Clock;
  config: HubConfig;
  tasks: TaskService;
  costs: ExecutionCosts;
  escalations: ExecutionEscalations;
  requestDispatch: () => void;
  /** Where long-poll claims wait for an assignment (tasks.claim's waitMs). */
  waiters: ClaimWaiters;
  /** Runs a dispatch pass and waits for it (reportMany's claimNext). */
  dispatchNow: () => Promise<unknown>;
  logger?: HubLogger;
}

export type { ClaimedTask, ReportResult } from '../../tasks/task-repository';

/** One entry of tasks.reportMany's answer: the report's result, or why it was refused. */
export type ReportManyEntry =
  | ({ ok: true } & ReportResult)
  | { ok: false; taskId: string; error: { code: string; message: string } };

export class TaskExecutionService {
  constructor(private readonly deps: TaskExecutionDeps) {}

  /**
   * Takes the tasks assigned to the agent and moves them to running, each under a new attempt.
   * With `waitMs`, a claim that finds nothing waits up to that long for a dispatch pass to assign
   * the agent work and then claims it (a long poll; `signal` ends the wait when the client goes away).
   */
  async claim(
    principal: Principal,
    input: { agentId?: string; limit: number; instanceId?: string; waitMs?: number },
    signal?: AbortSignal,
  ): Promise<ClaimedTask[]> {
    const agentId = input.agentId ?? (principal.kind === 'agent' ? principal.agentId : undefined);
    if (!agentId) throw new AppError('bad_input', 'agentId: required unless the token is bound to an agent', { field: 'agentId' });
    assertActsAs(principal, agentId);
    const waiters = this.deps.waiters;
    const deadline = performance.now() + (input.waitMs ?? 0);
    for (;;) {
      await this.deps.costs.assertWithinBudget(agentId);
      const seen = waiters.generation(agentId);
      const claimed = await this.deps.repository.claimAssigned(agentId, input.limit, input.instanceId);
      const left = deadline - performance.now();
      if (claimed.length > 0 || left <= 0 || waiters.closed || signal?.aborted) return claimed;
      await waiters.wait(agentId, seen, left, signal);
      if (waiters.closed || signal?.aborted) return [];
    }
  }

  /** The result of an attempt: done with output, or failed (requeued before the attempt limit). */
  async report(principal: Principal, input: z.infer<typeof tasksReportInput>): Promise<ReportResult> {
    const [answer] = await this.record(principal, [input]);
    this.deps.requestDispatch();
    if (answer instanceof AppError) throw answer;
    return answer!.result;
  }

  /**
   * Several results in one call (≤ 500), in one transaction: each report is all-or-nothing on its
   * own and gets its own answer, so one stale lease does not refuse the others. One dispatch pass
   * follows; with `claimNext`, an agent then claims up to that many of the tasks assigned to it.
   */
  async reportMany(
    principal: Principal,
    inputs: z.infer<typeof tasksReportInput>[],
    claimNext = 0,
  ): Promise<{ results: ReportManyEntry[]; claimed: ClaimedTask[] }> {
    if (claimNext > 0 && principal.kind !== 'agent') {
      throw new AppError('bad_input', 'claimNext: only an agent token claims its next work here (others use tasks.claim with agentId)', { field: 'claimNext' });
    }
    const answers = await this.record(principal, inputs);
    const results = answers.map((answer, index) =>
      answer instanceof AppError
        ? { ok: false as const, taskId: inputs[index]!.taskId, error: { code: answer.kind, message: answer.message } }
        : { ok: true as const, ...answer.result },
    );
    if (claimNext === 0 || principal.kind !== 'agent') {
      this.deps.requestDispatch();
      return { results, claimed: [] };
    }
    await this.deps.dispatchNow();
    const claimed = await this.claim(principal, { limit: claimNext }).catch((error: unknown) => {
      // A spent budget refuses the claim, not the reports that were recorded.
      if (error instanceof AppError && error.kind === 'rate_limited') return [];
      throw error;
    });
    return { results, claimed };
  }

  /** Appends partial output to the task's stream log (only the assigned agent, current attempt). */
  stream(
    principal: Principal,
    input: { taskId: string; attemptId: string; content: string; idempotencyKey?: string },
  ): Promise<{ streamBytes: number; truncatedBefore: boolean }> {
    return this.deps.repository.appendStream(principal, { ...input, idempotencyKey: scopedKey('stream', principal, input.idempotencyKey) });
  }

  /**
   * Spec section 13: the original task is suspended with the partial output; a continuation
   * with the same capability, at bumped priority, carries the partial work and is dispatched.
   */
  async handoff(principal: Principal, input: { taskId: string; attemptId?: string; partialOutput: string; reason?: string; idempotencyKey?: string }) {
    const result = await this.deps.repository.handOff(principal, {
      ...input,
      createdBy: principalLabel(principal),
      idempotencyKey: scopedKey('handoff', principal, input.idempotencyKey),
    });
    this.deps.requestDispatch();
    return result;
  }

  private async record(principal: Principal, inputs: z.infer<typeof tasksReportInput>[]): Promise<(ReportEffects | AppError)[]> {
    const reports = inputs.map((input) => {
      if (principal.kind === 'agent' && (!input.attemptId || !input.idempotencyKey)) {
        return new AppError('bad_input', 'attemptId and idempotencyKey: required in a worker’s report', { field: input.attemptId ? 'idempotencyKey' : 'attemptId' });
      }
      return this.toAttemptReport(principal, input);
    });
    const valid = reports.filter((report): report is AttemptReport => !(report instanceof AppError));
    const recorded = valid.length > 0 ? await this.deps.repository.reportAttempts(principal, valid) : [];
    let next = 0;
    const answers = reports.map((report) => (report instanceof AppError ? report : recorded[next++]!));
    for (const [index, answer] of answers.entries()) {
      if (!(answer instanceof AppError) && !answer.replayed) await this.afterReport(inputs[index]!.taskId, answer);
    }
    return answers;
  }

  private toAttemptReport(principal: Principal, input: z.infer<typeof tasksReportInput>): AttemptReport {
    const usage = input.usage
      ? (() => {
          const { costUsd, source } = priceUsage({ ...input.usage, reportedCostUsd: input.usage.costUsd });
          return { model: input.usage.model, inputTokens: input.usage.inputTokens, outputTokens: input.usage.outputTokens, costUsd, costSource: source };
        })()
      : null;
    return {
      taskId: input.taskId,
      attemptId: input.attemptId,
      status: input.status,
      output: input.output ?? null,
      error: input.error ?? null,
      confidence: input.confidence ?? null,
      usage,
      idempotencyKey: scopedKey('report', principal, input.idempotencyKey),
    };
  }

  /** Side effects of a committed report; they never fail the report itself. */
  private async afterReport(taskId: string, effects: ReportEffects): Promise<void> {
    try {
      if (effects.failedForGood) await this.deps.tasks.alertFailed(taskId, effects.taskTitle, effects.result.attempts, effects.agentId);
      if (effects.costLogged && effects.agentId) await this.deps.costs.checkBudgetAlert(effects.agentId);
      if (effects.breakerTripped && effects.agentId) {
        const { consecutiveFailures, error } = effects.breakerTripped;
        await this.deps.escalations.escalate({
          fromAgent: effects.agentId,
          taskId,
          reason: `${consecutiveFailures} consecutive failures${error ? `; last: ${error.slice(0, 300)}` : ''}`,
        });
      }
    } catch (error) {
      this.deps.logger?.error(`after-report actions failed (${error instanceof Error ? error.name : 'Error'})`);
    }
  }
}

/** Idempotency keys are the caller's own: the same key from two callers names two calls. */
function scopedKey(call: 'report' | 'stream' | 'handoff', principal: Principal, key: string | undefined): string | null {
  return key ? `${call}:${principalLabel(principal)}:${key}` : null;
}
