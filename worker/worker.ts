// The worker: joins a machine to the mesh and runs what the hub assigns. Register, heartbeat,
// keep one long-poll claim open while a slot is free and the load is under the limit (the hub
// answers it the moment it assigns work; task_assigned on the event stream and a timer wake it
// too), run each task on the runtime with partial output streamed,
// report under the attempt's lease with an idempotency key. A result is written to the on-disk
// outbox before it is sent and removed once the hub answered, so neither a crash nor an
// unreachable hub loses it. A cancel event stops the task's process. On stop: no more claims,
// running tasks get a grace period, the rest are handed off with their partial output, and the
// hub is told the agent goes offline.
//
// Each process is one instance of its agent (a fresh instance id, sent on register, heartbeats
// and claims). Results left in the outbox by the previous instance are delivered before this one
// registers, because registering releases every attempt the previous instance held. A claim or
// heartbeat refused with 409 means a newer instance registered: this one stops its tasks
// (their attempts are gone) and exits.
import os from 'node:os';
import { createHubClient, type HubClient } from '../src/lib/hub-client';
import { openEventStream, type EventStreamConnection } from '../src/lib/event-stream-client';
import { capTaskOutput, LIMITS } from '../src/lib/limits';
import { parseRememberBlocks } from '../src/lib/remember-blocks';
import { Backoff } from './backoff';
import { describeHubFailure, displayHubUrl } from './hub-failure';
import type { WorkerConfig } from './config';
import { newInstanceId } from './instance-id';
import { LoadGate } from './load-gate';
import { Outbox, type PendingReport } from './outbox';
import { RuntimeError, type Runtime } from './runtimes/runtime';
import { StreamBatcher } from './stream-batcher';
import { createHubToolInvoker } from './hub-tools';
import { runWithToolCalls } from './tool-loop';

interface RunningTask {
  taskId: string;
  attemptId: string;
  controller: AbortController;
  partialOutput: string;
  /** Why it was stopped, when it was: the run's end is then not reported as a result. */
  stopReason: 'cancelled' | 'handoff' | 'replaced' | null;
  done: Promise<void>;
}

export interface WorkerLogger {
  (line: string): void;
}

export interface WorkerOptions {
  log?: WorkerLogger;
  /** This process's instance id; a fresh one unless given. */
  instanceId?: string;
  /** The 1-minute load average; os.loadavg() unless a test supplies its own reading. */
  loadAverage?: () => number;
}

/** How long a stopping worker waits for the hub to take its goOffline. */
export const GO_OFFLINE_TIMEOUT_MS = 3_000;

type ClaimedTask = Awaited<ReturnType<HubClient['tasks']['claim']['mutate']>>[number];

function httpStatus(error: unknown): number | undefined {
  return (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
}

/** A refusal the hub will repeat (bad lease, gone task): retrying cannot help. */
function isFinalRefusal(error: unknown): boolean {
  const status = httpStatus(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The hub's reason in one line: `409 CONFLICT: <its message>`, or what went wrong on the way. */
export function hubReason(error: unknown): string {
  const status = httpStatus(error);
  const code = (error as { data?: { code?: string } })?.data?.code;
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
  return status !== undefined ? `${status}${code ? ` ${code}` : ''}: ${message}` : message;
}

export class Worker {
  private readonly client: HubClient;
  private readonly outbox: Outbox;
  private readonly running = new Map<string, RunningTask>();
  private readonly backoff: Backoff;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private claimTimer: NodeJS.Timeout | null = null;
  private subscription: EventStreamConnection | null = null;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  /** Ends the open long-poll claim (stop, replacement). */
  private readonly claimAbort = new AbortController();
  private stopping = false;
  private connected = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private registered = false;
  private overBudget = false;
  private replacedReason: string | null = null;
  private resolveReplaced: (reason: string) => void = () => undefined;
  /** Reports being sent by deliver(): the outbox pass leaves them alone. */
  private readonly delivering = new Set<string>();
  private outboxPass: Promise<void> | null = null;
  private readonly loadGate: LoadGate;
  private readonly loadAverage: () => number;
  private readonly log: WorkerLogger;
  readonly instanceId: string;
  /** Resolves (with the hub's reason) once a newer instance of this agent replaced this one and its tasks stopped. */
  readonly replaced: Promise<string>;

  constructor(
    private readonly config: WorkerConfig,
    private readonly runtime: Runtime,
    options: WorkerOptions = {},
  ) {
    this.log = options.log ?? ((line) => console.log(`[worker ${config.id}] ${line}`));
    this.instanceId = options.instanceId ?? newInstanceId();
    this.loadAverage = options.loadAverage ?? (() => os.loadavg()[0] ?? 0);
    this.loadGate = new LoadGate(config.maxLoad);
    this.client = createHubClient({ hubUrl: config.hub, token: config.token, batch: false });
    this.outbox = new Outbox(config.outboxDir);
    this.backoff = new Backoff(500, config.backoffMaxMs);
    this.replaced = new Promise((resolve) => (this.resolveReplaced = resolve));
  }

  /**
   * What this instance holds: tasks running now, and tasks whose result waits in the outbox (a
   * heartbeat that left them out would make the hub release them and run them a second time).
   */
  get activeTaskIds(): string[] {
    const held = new Set(this.running.keys());
    for (const report of this.outbox.pending()) held.add(report.taskId);
    return [...held];
  }

  /** Why claiming is paused by the load gate, or null. */
  get claimingPaused(): { reason: string } | null {
    return this.loadGate.claimingPaused;
  }

  async start(): Promise<void> {
    // Before registering: registering this instance releases the attempts those results name.
    await this.deliverOutbox();
    await this.registerUntilConnected();
    if (this.stopping) return;
    this.subscribe();
    this.heartbeatTimer = setInterval(() => this.heartbeatTick(), this.config.heartbeatMs);
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
    this.claimAbort.abort();
    this.subscription?.close();
    const finished = Promise.all([...this.running.values()].map((task) => task.done));
    const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.config.graceMs).unref());
    if ((await Promise.race([finished.then(() => 'finished' as const), grace])) === 'timeout') {
      await Promise.all([...this.running.values()].map((task) => this.handOff(task, 'the worker is shutting down')));
    }
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.deliverOutbox();
    if (this.registered && this.replacedReason === null) await this.goOffline();
  }

  /** Best effort: the hub marks the agent offline at once and requeues what it still holds. */
  private async goOffline(): Promise<void> {
    try {
      await this.client.agents.goOffline.mutate({ agentId: this.config.id, instanceId: this.instanceId }, { signal: AbortSignal.timeout(GO_OFFLINE_TIMEOUT_MS) });
      this.log('told the hub this agent is going offline');
    } catch (error) {
      this.log(`could not tell the hub this agent is going offline (${hubReason(error)}); it will notice the missing heartbeats`);
    }
  }

  /** A newer instance of this agent registered: its attempts are gone, so stop everything and say so. */
  private replacedByNewerInstance(error: unknown): void {
    if (this.replacedReason !== null) return;
    this.replacedReason = hubReason(error);
    this.stopping = true;
    if (this.claimTimer) clearInterval(this.claimTimer);
    this.claimAbort.abort();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.subscription?.close();
    this.log(`another process registered as agent ${this.config.id} and replaced this one (hub: ${this.replacedReason}); stopping its tasks without reporting them`);
    const tasks = [...this.running.values()];
    for (const task of tasks) {
      task.stopReason ??= 'replaced';
      task.controller.abort();
    }
    void Promise.all(tasks.map((task) => task.done.catch(() => undefined))).then(() => this.resolveReplaced(this.replacedReason!));
  }

  private async registerUntilConnected(): Promise<void> {
    for (;;) {
      try {
        await this.client.agents.register.mutate({
          instanceId: this.instanceId,
          id: this.config.id,
          name: this.config.name,
          machine: this.config.machine,
          kind: 'desktop',
          capabilities: this.config.capabilities,
          maxConcurrent: this.config.slots,
        });
        this.connected = true;
        this.registered = true;
        this.backoff.reset();
        this.log(`registered with ${displayHubUrl(this.config.hub)} as ${this.config.id} (${this.config.slots} slot(s), runtime ${this.runtime.name}, instance ${this.instanceId})`);
        return;
      } catch (error) {
        if (isFinalRefusal(error) && httpStatus(error) !== 404) throw error;
        const wait = this.backoff.next();
        this.log(`${describeHubFailure(error, this.config.hub)}; retrying in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.stopping) return;
      }
    }
  }

  private subscribe(): void {
    // Only the events a worker acts on: the hub sends nothing else down this stream.
    // The hub's plain SSE stream (GET /api/stream): it reconnects by itself and resumes by Last-Event-ID.
    this.subscription = openEventStream({
      hubUrl: this.config.hub,
      token: this.config.token,
      types: ['task_assigned', 'task_cancelled'],
      // (Re)connected: look for assignments at once (a first stream replays nothing).
      onOpen: () => this.requestClaim(),
      onEvent: (event) => {
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
    });
  }

  /**
   * Reads the load and moves the gate; a change is logged once and sent to the hub at once (a
   * pause so it stops assigning, a resume so it starts again), not at the next heartbeat.
   */
  private checkLoad(): { load: number; changed: boolean; resumed: boolean } {
    const load = this.loadAverage();
    const change = this.loadGate.update(load);
    if (change) this.log(change.line);
    return { load, changed: change !== null, resumed: change?.paused === false };
  }

  private heartbeatTick(): void {
    const load = this.checkLoad();
    if (load.resumed) this.requestClaim();
    void this.heartbeat(load.load);
  }

  private async heartbeat(load: number): Promise<void> {
    if (this.replacedReason !== null) return;
    try {
      const answer = await this.client.agents.heartbeat.mutate({
        agentId: this.config.id,
        instanceId: this.instanceId,
        loadAverage: load,
        activeTaskIds: this.activeTaskIds,
        claimingPaused: this.loadGate.claimingPaused,
      });
      if (!this.connected) {
        this.connected = true;
        this.backoff.reset();
        this.log('reconnected to the hub');
        await this.deliverOutbox();
        this.requestClaim();
      }
      this.checkBudget(answer.budget);
      if (answer.assignedTaskIds.length > 0) this.requestClaim();
    } catch (error) {
      if (httpStatus(error) === 404) {
        // The hub forgot us (a restored database): register again.
        await this.registerUntilConnected();
        return;
      }
      if (httpStatus(error) === 409) return this.replacedByNewerInstance(error);
      if (this.connected) this.log(`lost the hub: ${describeHubFailure(error, this.config.hub)}; results will wait in the outbox`);
      this.connected = false;
      this.reconnectSoon();
    }
  }

  /**
   * While the hub is unreachable, heartbeats are retried on the backoff (0.5 s doubling), not only
   * at the heartbeat interval: a restarted hub gets the outbox's results and this worker's free
   * slots within a second or two, instead of every slot waiting up to a whole interval.
   */
  private reconnectSoon(): void {
    if (this.reconnectTimer || this.stopping || this.replacedReason !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.connected) void this.heartbeat(this.loadAverage());
    }, this.backoff.next());
    this.reconnectTimer.unref();
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
    const load = this.checkLoad();
    if (load.changed) void this.heartbeat(load.load);
    if (this.loadGate.paused) return;
    let claimed: ClaimedTask[];
    const waitMs = this.config.claimWaitMs;
    const asked = performance.now();
    try {
      claimed = await this.client.tasks.claim.mutate(
        { agentId: this.config.id, limit: free, instanceId: this.instanceId, waitMs },
        { signal: this.claimAbort.signal },
      );
    } catch (error) {
      if (httpStatus(error) === 429) this.overBudget = true;
      if (httpStatus(error) === 409) this.replacedByNewerInstance(error);
      return;
    }
    // A long poll that waited its time out empty is opened again at once. One that came back
    // empty early (a hub that does not hold claims) waits for the stream or the timer instead.
    if (claimed.length === 0 && waitMs > 0 && performance.now() - asked >= waitMs / 2) this.claimAgain = true;
    if (this.stopping && claimed.length > 0) {
      // Stopped while the claim was on its way: not started, so goOffline hands them back.
      this.log(`claimed ${claimed.length} task(s) while stopping; not starting them (the hub requeues them when this agent goes offline)`);
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
    const batcher = new StreamBatcher(async (content, sequence) => {
      await this.client.tasks.stream.mutate({ taskId: claim.taskId, attemptId: claim.attemptId, content, idempotencyKey: `${claim.attemptId}:${sequence}` });
    }, this.config.streamFlushMs);
    let report: PendingReport;
    try {
      // [TOOL_CALL]s in the model's answers are run through the hub (tool-loop.ts).
      const result = await runWithToolCalls(
        this.runtime,
        { taskId: claim.taskId, prompt: claim.prompt, model: claim.model },
        {
          signal: task.controller.signal,
          timeoutMs: this.config.taskTimeoutMs,
          onChunk: (text) => {
            task.partialOutput += text;
            batcher.push(text);
          },
        },
        createHubToolInvoker(this.client, claim.taskId),
        this.log,
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
    if (report.status === 'done' && report.output) await this.rememberBlocks(claim.taskId, report.output);
  }

  /**
   * Auto-extract (spec section 14): each `[REMEMBER] key: value [/REMEMBER]` block of a result is
   * stored in this agent's memory; the blocks stay in the reported output. A refused or failed
   * store is logged and skipped: the task's result is already safe with the hub.
   */
  private async rememberBlocks(taskId: string, output: string): Promise<void> {
    const blocks = parseRememberBlocks(output);
    let stored = 0;
    for (const block of blocks) {
      try {
        await this.client.memory.store.mutate({ key: block.key, value: block.value });
        stored += 1;
      } catch (error) {
        this.log(`task ${taskId}: could not remember ${block.key} (${hubReason(error)})`);
      }
    }
    if (blocks.length > 0) this.log(`task ${taskId}: remembered ${stored} of ${blocks.length} [REMEMBER] block(s)`);
  }

  /**
   * Sends a result. It is written to the outbox first and removed once the hub answered, so a
   * crash mid-send loses nothing; if the hub cannot be reached it waits there for the reconnect.
   */
  private async deliver(report: PendingReport): Promise<void> {
    const key = report.idempotencyKey;
    this.delivering.add(key);
    try {
      try {
        this.outbox.save(report);
      } catch (error) {
        this.log(`task ${report.taskId}: could not write the result to the outbox (${error instanceof Error ? error.message : 'unknown error'}); sending it anyway`);
      }
      const answer = await this.client.tasks.report.mutate(report);
      this.outbox.remove(key);
      this.log(`task ${report.taskId} reported ${report.status} (hub: ${answer.status})`);
    } catch (error) {
      if (isFinalRefusal(error)) {
        this.outbox.remove(key);
        this.logDropped(report, error);
        return;
      }
      this.connected = false;
      this.log(`task ${report.taskId}: hub unreachable, result kept in the outbox`);
      this.reconnectSoon();
    } finally {
      this.delivering.delete(key);
    }
  }

  /** Every report the worker gives up on says so: which task, which attempt, and why. */
  private logDropped(report: PendingReport, error: unknown): void {
    this.log(`task ${report.taskId}, attempt ${report.attemptId}: dropping its ${report.status} report, the hub refused it (${hubReason(error)})`);
  }

  /** One pass over the outbox at a time; results deliver() is sending are skipped. */
  private deliverOutbox(): Promise<void> {
    this.outboxPass ??= this.deliverOutboxOnce().finally(() => {
      this.outboxPass = null;
    });
    return this.outboxPass;
  }

  private async deliverOutboxOnce(): Promise<void> {
    for (const report of this.outbox.pending()) {
      if (this.delivering.has(report.idempotencyKey)) continue;
      try {
        await this.client.tasks.report.mutate(report);
        this.outbox.remove(report.idempotencyKey);
        this.log(`delivered ${report.status} result of task ${report.taskId} from the outbox`);
      } catch (error) {
        if (isFinalRefusal(error)) {
          this.outbox.remove(report.idempotencyKey);
          this.logDropped(report, error);
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
    const input = {
      taskId: task.taskId,
      attemptId: task.attemptId,
      partialOutput: truncateForHandoff(task.partialOutput),
      reason,
      // The same key on the resend: the hub makes one continuation, whichever send it took.
      idempotencyKey: `${task.attemptId}:handoff`,
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answer = await this.client.tasks.handoff.mutate(input);
        this.log(`task ${task.taskId} handed off (continuation ${answer.continuationTaskId})`);
        break;
      } catch (error) {
        if (attempt < 2 && !isFinalRefusal(error)) continue;
        this.log(`task ${task.taskId}, attempt ${task.attemptId}: the handoff did not reach the hub (${hubReason(error)}); the hub will requeue it`);
        break;
      }
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
