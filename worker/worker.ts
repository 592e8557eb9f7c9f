// The worker: joins a machine to the mesh and runs what the hub assigns. Register, heartbeat,
// wake on the event stream (task_assigned; a timer as fallback), claim while a slot is free and
// the load is under the limit, run each task on the runtime with partial output streamed,
// report under the attempt's lease with an idempotency key. A result the hub cannot take now
// waits in the on-disk outbox. A cancel event stops the task's process. On stop: no more
// claims, running tasks get a grace period, the rest are handed off with their partial output.
import os from 'node:os';
import { createHubClient, type HubClient } from '../src/lib/hub-client';
import type { StreamItem } from '../src/lib/events';
import { capTaskOutput, LIMITS } from '../src/lib/limits';
import { Backoff } from './backoff';
import type { WorkerConfig } from './config';
import { Outbox, type PendingReport } from './outbox';
import { RuntimeError, type Runtime } from './runtimes/runtime';
import { StreamBatcher } from './stream-batcher';

interface RunningTask {
  taskId: string;
  attemptId: string;
  controller: AbortController;
  partialOutput: string;
  /** Why it was stopped, when it was: the run's end is then not reported as a result. */
  stopReason: 'cancelled' | 'handoff' | null;
  done: Promise<void>;
}

export interface WorkerLogger {
  (line: string): void;
}

type ClaimedTask = Awaited<ReturnType<HubClient['tasks']['claim']['mutate']>>[number];

function httpStatus(error: unknown): number | undefined {
  return (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
}

/** A refusal the hub will repeat (bad lease, gone task): retrying cannot help. */
function isFinalRefusal(error: unknown): boolean {
  const status = httpStatus(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export class Worker {
  private readonly client: HubClient;
  private readonly outbox: Outbox;
  private readonly running = new Map<string, RunningTask>();
  private readonly backoff: Backoff;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private claimTimer: NodeJS.Timeout | null = null;
  private subscription: { unsubscribe(): void } | null = null;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  private stopping = false;
  private connected = false;
  private overBudget = false;

  constructor(
    private readonly config: WorkerConfig,
    private readonly runtime: Runtime,
    private readonly log: WorkerLogger = (line) => console.log(`[worker ${config.id}] ${line}`),
  ) {
    this.client = createHubClient({ hubUrl: config.hub, token: config.token, batch: false });
    this.outbox = new Outbox(config.outboxDir);
    this.backoff = new Backoff(500, config.backoffMaxMs);
  }

  get activeTaskIds(): string[] {
    return [...this.running.keys()];
  }

  async start(): Promise<void> {
    await this.registerUntilConnected();
    this.subscribe();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.config.heartbeatMs);
    this.claimTimer = setInterval(() => this.requestClaim(), this.config.claimIntervalMs);
    await this.deliverOutbox();
    this.requestClaim();
  }

  /**
   * Stops taking work; running tasks get `graceMs` to finish, then are handed off with their
   * partial output. Resolves when nothing is running.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.claimTimer) clearInterval(this.claimTimer);
    this.subscription?.unsubscribe();
    const finished = Promise.all([...this.running.values()].map((task) => task.done));
    const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.config.graceMs).unref());
    if ((await Promise.race([finished.then(() => 'finished' as const), grace])) === 'timeout') {
      await Promise.all([...this.running.values()].map((task) => this.handOff(task, 'the worker is shutting down')));
    }
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.deliverOutbox();
  }

  private async registerUntilConnected(): Promise<void> {
    for (;;) {
      try {
        await this.client.agents.register.mutate({
          id: this.config.id,
          name: this.config.name,
          machine: this.config.machine,
          kind: 'desktop',
          capabilities: this.config.capabilities,
          maxConcurrent: this.config.slots,
        });
        this.connected = true;
        this.backoff.reset();
        this.log(`registered with ${this.config.hub} (${this.config.slots} slot(s), runtime ${this.runtime.name})`);
        return;
      } catch (error) {
        if (isFinalRefusal(error) && httpStatus(error) !== 404) throw error;
        const wait = this.backoff.next();
        this.log(`hub unreachable, retrying in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.stopping) return;
      }
    }
  }

  private subscribe(): void {
    // Only the events a worker acts on: the hub sends nothing else down this stream.
    this.subscription = this.client.events.stream.subscribe({ types: ['task_assigned', 'task_cancelled'] }, {
      onData: (item) => {
        const event = (item as { data?: StreamItem }).data;
        if (!event) return;
        if (event.type === 'task_assigned' && event.payload.assignedTo === this.config.id) this.requestClaim();
        if (event.type === 'task_cancelled') {
          const task = this.running.get(event.payload.taskId);
          if (task) {
            task.stopReason = 'cancelled';
            task.controller.abort();
            this.log(`task ${task.taskId} cancelled by the hub: stopping it`);
          }
        }
      },
      onError: () => undefined,
    });
  }

  private async heartbeat(): Promise<void> {
    try {
      const answer = await this.client.agents.heartbeat.mutate({
        agentId: this.config.id,
        loadAverage: os.loadavg()[0],
        activeTaskIds: this.activeTaskIds,
      });
      if (!this.connected) {
        this.connected = true;
        this.backoff.reset();
        this.log('reconnected to the hub');
        await this.deliverOutbox();
      }
      this.checkBudget(answer.budget);
      if (answer.assignedTaskIds.length > 0) this.requestClaim();
    } catch (error) {
      if (httpStatus(error) === 404) {
        // The hub forgot us (a restored database): register again.
        await this.registerUntilConnected();
        return;
      }
      if (this.connected) this.log('lost the hub; results will wait in the outbox');
      this.connected = false;
    }
  }

  /** Near the daily token budget: hand running work to other agents instead of overrunning. */
  private checkBudget(budget: { tokensUsedToday: number; dailyTokenBudget: number }): void {
    const near = budget.tokensUsedToday >= budget.dailyTokenBudget * this.config.budgetHandoffRatio;
    if (near && !this.overBudget) this.log(`near the daily token budget (${budget.tokensUsedToday}/${budget.dailyTokenBudget}): handing off`);
    this.overBudget = near;
    if (near) for (const task of this.running.values()) void this.handOff(task, 'the agent reached its daily token budget');
  }

  private requestClaim(): void {
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = (async () => {
      do {
        this.claimAgain = false;
        await this.claimOnce();
      } while (this.claimAgain && !this.stopping);
    })().finally(() => {
      this.claiming = null;
    });
  }

  private async claimOnce(): Promise<void> {
    const free = this.config.slots - this.running.size;
    if (this.stopping || this.overBudget || free <= 0) return;
    if ((os.loadavg()[0] ?? 0) >= this.config.maxLoad) return;
    let claimed: ClaimedTask[];
    try {
      claimed = await this.client.tasks.claim.mutate({ agentId: this.config.id, limit: free });
    } catch (error) {
      if (httpStatus(error) === 429) this.overBudget = true;
      return;
    }
    for (const task of claimed) this.startTask(task);
  }

  private startTask(claim: ClaimedTask): void {
    const controller = new AbortController();
    const task: RunningTask = { taskId: claim.taskId, attemptId: claim.attemptId, controller, partialOutput: '', stopReason: null, done: Promise.resolve() };
    this.running.set(claim.taskId, task);
    this.log(`running task ${claim.taskId} (attempt ${claim.attempt})`);
    task.done = this.runTask(claim, task).finally(() => {
      this.running.delete(claim.taskId);
      this.requestClaim();
    });
  }

  private async runTask(claim: ClaimedTask, task: RunningTask): Promise<void> {
    const batcher = new StreamBatcher(async (content) => {
      await this.client.tasks.stream.mutate({ taskId: claim.taskId, attemptId: claim.attemptId, content });
    }, this.config.streamFlushMs);
    let report: PendingReport;
    try {
      const result = await this.runtime.run(
        { taskId: claim.taskId, prompt: claim.prompt, model: claim.model },
        {
          signal: task.controller.signal,
          timeoutMs: this.config.taskTimeoutMs,
          onChunk: (text) => {
            task.partialOutput += text;
            batcher.push(text);
          },
        },
      );
      await batcher.close();
      report = { taskId: claim.taskId, attemptId: claim.attemptId, status: 'done', output: capTaskOutput(result.output), usage: result.usage, idempotencyKey: `${claim.attemptId}-done` };
    } catch (error) {
      await batcher.close();
      if (task.stopReason) return; // cancelled or handed off: no result to report
      const reason = error instanceof RuntimeError ? error.message : 'the runtime failed';
      report = { taskId: claim.taskId, attemptId: claim.attemptId, status: 'failed', error: reason, idempotencyKey: `${claim.attemptId}-failed` };
    }
    await this.deliver(report);
  }

  /** Sends a result; if the hub cannot be reached it waits in the outbox. */
  private async deliver(report: PendingReport): Promise<void> {
    try {
      const answer = await this.client.tasks.report.mutate(report);
      this.log(`task ${report.taskId} reported ${report.status} (hub: ${answer.status})`);
    } catch (error) {
      if (isFinalRefusal(error)) {
        this.log(`task ${report.taskId}: the hub refused the report (${httpStatus(error)}); dropping it`);
        return;
      }
      this.outbox.save(report);
      this.connected = false;
      this.log(`task ${report.taskId}: hub unreachable, result kept in the outbox`);
    }
  }

  private async deliverOutbox(): Promise<void> {
    for (const report of this.outbox.pending()) {
      try {
        await this.client.tasks.report.mutate(report);
        this.outbox.remove(report.idempotencyKey);
        this.log(`delivered ${report.status} result of task ${report.taskId} from the outbox`);
      } catch (error) {
        if (isFinalRefusal(error)) {
          this.outbox.remove(report.idempotencyKey);
          continue;
        }
        return; // still unreachable: try on the next reconnect
      }
    }
  }

  private async handOff(task: RunningTask, reason: string): Promise<void> {
    if (task.stopReason) return;
    task.stopReason = 'handoff';
    task.controller.abort();
    try {
      const answer = await this.client.tasks.handoff.mutate({
        taskId: task.taskId,
        attemptId: task.attemptId,
        partialOutput: truncateForHandoff(task.partialOutput),
        reason,
      });
      this.log(`task ${task.taskId} handed off (continuation ${answer.continuationTaskId})`);
    } catch {
      this.log(`task ${task.taskId}: the handoff did not reach the hub; the hub will requeue it`);
    }
    await task.done.catch(() => undefined);
  }
}

/** The hub caps handoff partial output: keep the most recent work. */
function truncateForHandoff(partialOutput: string): string {
  const limit = LIMITS.handoffPartialOutputBytes;
  const buffer = Buffer.from(partialOutput, 'utf8');
  if (buffer.length <= limit) return partialOutput;
  // The tail, cut at a character boundary (a leading partial character decodes to U+FFFD).
  return buffer.subarray(buffer.length - limit).toString('utf8').replace(/^\uFFFD+/, '');
}
