// The task engine's hot path on SQLite: prepared statements (prepared once, cached by the shared
// connection) in synchronous transactions. Every operation writes its state change and the event
// rows describing it in ONE transaction (EventBus.transact): a crash at any instant leaves all of
// it or none of it, and subscribers hear the events only after the commit. The in-memory
// MeshCapacity follows each commit. See src/server/tasks/task-repository.ts for the contract.
import { newId } from '@/lib/ids';
import { capTaskOutput, LIMITS, utf8Bytes } from '@/lib/limits';
import { CONTINUATION_PREFIX, MAX_PRIORITY, PRIORITY_BUMP } from '@/lib/tasks';
import type { Clock } from '../../clock';
import { AppError, conflict, forbidden, notFound } from '../../errors';
import type { EventBus, EventTransaction } from '../../events/event-bus';
import type { Principal } from '../../auth/principal';
import {
  breakerAfterFailure,
  breakerAfterProbeAbandoned,
  breakerAfterSuccess,
  CLOSED_BREAKER,
  type BreakerRecord,
  type BreakerSettings,
} from '../../services/tasks/circuit-breaker';
import { GENERAL_CAPABILITY } from '../../services/tasks/reputation';
import { agentEventView, taskEventView, taskScope } from '../../services/tasks/task-views';
import { emptyCapacity, utcDayOf, type AgentCapacity, type MeshCapacity } from '../../tasks/mesh-capacity';
import type {
  AssignmentDecision,
  AttemptReport,
  ClaimedTask,
  CostEntry,
  NewPipeline,
  NewTask,
  QueuedTask,
  ReportEffects,
  ReleaseSelection,
  ReportResult,
  RequeueEffect,
  RequeueOptions,
  TaskListFilter,
  TaskPage,
  TaskRecord,
  TaskRepository,
  UsageRecord,
  WaitingParent,
} from '../../tasks/task-repository';
import type { ClaimPromptInjector } from '../../tasks/claim-prompt';
import { sqlTime, type SqliteConnection } from './connection';
import { SqliteTaskGraph, type BatchSlot } from './task-graph-sql';
import { injectParentOutputs } from '@/lib/task-graph';

export interface SqliteTaskRepositoryDeps {
  connection: SqliteConnection;
  events: EventBus;
  clock: Clock;
  capacity: MeshCapacity;
  maxAttempts: number;
  breaker: BreakerSettings;
  /** Test-only: SIGKILL the process at this point of a transaction, to prove it commits all or nothing. */
  crashPoint?: 'report-before-commit';
  /** Run in order on each claimed prompt, inside the claim's transaction (agent memory). */
  claimPromptInjectors?: readonly ClaimPromptInjector[];
}

const TASK_COLUMNS = `id, title, prompt, status, priority, urgency, assigned_to AS assignedTo, assign_to AS assignTo,
  required_capability AS requiredCapability, deadline, model, attempts, current_attempt_id AS currentAttemptId,
  stream_bytes AS streamBytes, stream_truncated AS streamTruncated, confidence, created_at AS createdAt, updated_at AS updatedAt`;

/** The columns tasks.list may sort by (the repository's names for them). */
const SORT_COLUMNS: Record<NonNullable<TaskListFilter['sort']>, string> = {
  createdAt: 'id',
  updatedAt: 'updated_at',
  priority: 'priority',
  title: 'title COLLATE NOCASE',
  status: 'status',
  assignedTo: 'assigned_to',
};

/** Queued rows read at a time by a dispatch pass (it reads about twice the free slots). */
const MAX_DISPATCH_PAGE = 256;

type RawTask = Omit<TaskRecord, 'streamTruncated'> & { streamTruncated: number };

const toRecord = (row: RawTask): TaskRecord => ({ ...row, streamTruncated: row.streamTruncated === 1 });

/** Per-transaction load changes, applied once per agent at the end (one agent_updated each). */
class LoadChanges {
  readonly deltas = new Map<string, number>();
  add(agentId: string | null, delta: number): void {
    if (!agentId) return;
    this.deltas.set(agentId, (this.deltas.get(agentId) ?? 0) + delta);
  }
}

export class SqliteTaskRepository implements TaskRepository {
  private readonly graph: SqliteTaskGraph;

  constructor(private readonly deps: SqliteTaskRepositoryDeps) {
    this.graph = new SqliteTaskGraph(deps.connection);
  }

  private get sql() {
    return this.deps.connection;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // --- operator side -------------------------------------------------------------------------

  createTasks(tasks: NewTask[], requester: string, options: { single?: boolean } = {}): Promise<TaskRecord[]> {
    return this.deps.events.transact((tx) => this.insertBatch(tx, tasks, requester, this.now(), options.single ? null : 'tasks'));
  }

  createPipeline(pipeline: NewPipeline, requester: string): Promise<{ pipelineId: string; tasks: TaskRecord[] }> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const steps = pipeline.steps.map((step, index) => ({ ...step, dependsOn: index === 0 ? [] : [index - 1], clientRequestId: undefined }));
      const tasks = this.insertBatch(tx, steps, requester, now, 'steps');
      const pipelineId = newId(now.getTime());
      this.sql.statement('INSERT INTO pipelines (id, name, created_by, created_at) VALUES (?, ?, ?, ?)').run(pipelineId, pipeline.name, pipeline.createdBy, sqlTime(now));
      const step = this.sql.statement('INSERT INTO pipeline_steps (pipeline_id, position, task_id) VALUES (?, ?, ?)');
      tasks.forEach((task, position) => step.run(pipelineId, position, task.id));
      tx.emit('pipeline_created', { pipelineId, name: pipeline.name, taskIds: tasks.map((task) => task.id) }, { permission: 'tasks:read' });
      return { pipelineId, tasks };
    });
  }

  unfinishedParents(taskIds: string[]): Promise<Map<string, WaitingParent[]>> {
    return this.sql.read(() => this.graph.unfinishedParentsOf(taskIds));
  }

  /**
   * Inserts a create call's tasks with their dependency edges. Ids are chosen first (a replayed
   * create keeps its first task), so parents can be resolved and a cycle refused before any row
   * is written; a task whose parents are all done already gets their outputs at insert.
   */
  private insertBatch(tx: EventTransaction, tasks: NewTask[], requester: string, now: Date, field: string | null): TaskRecord[] {
    const slots = tasks.map((task) => {
      const key = task.clientRequestId ? `create:${requester}:${task.clientRequestId}` : null;
      const earlier = key ? this.storedAnswer<{ taskId: string }>(key) : null;
      const existing = earlier ? this.taskById(earlier.taskId) : null;
      const slot: BatchSlot = { id: existing?.id ?? newId(now.getTime()), title: task.title, replayed: existing !== null, dependsOn: task.dependsOn ?? [] };
      return { task, key, existing, slot };
    });
    const hasParents = slots.some(({ slot }) => slot.dependsOn.length > 0);
    const plans = hasParents ? this.graph.planBatch(slots.map(({ slot }) => slot), field) : null;
    const records = slots.map(({ task, key, existing, slot }, index) => {
      if (existing) return existing;
      const plan = plans?.[index] ?? null;
      const prompt = plan?.doneParents ? injectParentOutputs(task.prompt, plan.doneParents) : task.prompt;
      const record = this.insertTask({ ...task, prompt }, now, { id: slot.id, unfinishedParents: plan?.unfinished ?? 0 });
      tx.emit('task_created', taskEventView(record), { permission: 'tasks:read' });
      if (key) this.storeAnswer(key, 'tasks.create', { taskId: record.id }, now);
      return record;
    });
    // Edges after every task of the call exists (an index may point forwards).
    plans?.forEach((plan, index) => {
      if (plan) this.graph.insertEdges(slots[index]!.slot.id, plan.parentIds);
    });
    return records;
  }

  listTasks(filter: TaskListFilter): Promise<TaskPage> {
    return this.sql.read(() => {
      const conditions: string[] = [];
      const args: unknown[] = [];
      const where = (condition: string, ...values: unknown[]) => {
        conditions.push(condition);
        args.push(...values);
      };
      if (filter.statuses && filter.statuses.length > 0) where(`status IN (${filter.statuses.map(() => '?').join(', ')})`, ...filter.statuses);
      if (filter.ids) where(filter.ids.length > 0 ? `id IN (${filter.ids.map(() => '?').join(', ')})` : '0', ...filter.ids);
      if (filter.agentId) where('assigned_to = ?', filter.agentId);
      if (filter.capability) where('required_capability = ?', filter.capability);
      if (filter.before) where('id < ?', filter.before);
      // Times are stored as sqlTime() text, which sorts as it reads.
      const timeColumn = filter.timeField === 'createdAt' ? 'created_at' : 'updated_at';
      if (filter.since) where(`${timeColumn} >= ?`, sqlTime(filter.since));
      if (filter.until) where(`${timeColumn} < ?`, sqlTime(filter.until));
      // instr(), not LIKE: the text is matched as typed, '%' and '_' included.
      if (filter.text) where('(instr(lower(title), lower(?)) > 0 OR instr(lower(prompt), lower(?)) > 0)', filter.text, filter.text);
      if (filter.visibleTo) where('(assigned_to = ? OR created_by = ?)', filter.visibleTo.agentId, filter.visibleTo.createdBy);
      const clause = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      // The sort column comes from a fixed map, never from the caller's text; id breaks ties so pages never overlap.
      const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
      const sortColumn = SORT_COLUMNS[filter.sort ?? 'createdAt'];
      const ordering = filter.sort && filter.sort !== 'createdAt' ? `${sortColumn} ${direction}, id ${direction}` : `id ${direction}`;
      const rows = this.sql
        .statement(`SELECT ${TASK_COLUMNS} FROM tasks ${clause} ORDER BY ${ordering} LIMIT ? OFFSET ?`)
        .all(...args, filter.limit, filter.offset ?? 0) as RawTask[];
      const total = filter.withTotal ? (this.sql.statement(`SELECT COUNT(*) AS count FROM tasks ${clause}`).get(...args) as { count: number }).count : null;
      return { rows: rows.map(toRecord), total };
    });
  }

  cancel(taskId: string): Promise<TaskRecord> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const task = this.taskById(taskId);
      if (!task) throw notFound(`task ${taskId}`);
      if (!['queued', 'assigned', 'running'].includes(task.status)) throw conflict(`task ${taskId} is ${task.status} and cannot be cancelled`);
      this.sql
        .statement("UPDATE tasks SET status = 'cancelled', completed_at = ?, current_attempt_id = NULL, updated_at = ? WHERE id = ?")
        .run(sqlTime(now), sqlTime(now), taskId);
      if (task.currentAttemptId) this.endAttempt(task.currentAttemptId, 'cancelled', now);
      const loads = new LoadChanges();
      if (task.assignedTo && task.status !== 'queued') {
        this.releaseProbe(tx, task.assignedTo, taskId, now);
        loads.add(task.assignedTo, -1);
      }
      const updated = this.taskById(taskId)!;
      tx.emit('task_cancelled', taskEventView(updated), taskScope(task));
      this.cancelDescendants(tx, updated, 'cancelled', now);
      this.applyLoads(tx, loads, now);
      return updated;
    });
  }

  retry(taskId: string): Promise<TaskRecord> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const task = this.taskById(taskId);
      if (!task) throw notFound(`task ${taskId}`);
      if (task.status !== 'failed' && task.status !== 'cancelled') {
        throw conflict(`task ${taskId} is ${task.status}; only failed or cancelled tasks can be retried`);
      }
      this.graph.assertParentsCanFinish(task);
      this.sql
        .statement(
          `UPDATE tasks SET status = 'queued', attempts = 0, assigned_to = NULL, assigned_at = NULL, current_attempt_id = NULL,
             error = NULL, completed_at = NULL, unfinished_parents = ?, blocked_by_task_id = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(this.graph.countUnfinishedParents(taskId), sqlTime(now), taskId);
      const updated = this.taskById(taskId)!;
      tx.emit('task_requeued', { ...taskEventView(updated), reason: 'retry' }, taskScope(updated));
      // The descendants its failure cancelled wait for it again.
      for (const id of this.graph.rearmDescendants(taskId, now)) {
        const child = this.taskById(id)!;
        tx.emit('task_requeued', { ...taskEventView(child), reason: 'parent_retried' }, taskScope(child));
      }
      return updated;
    });
  }

  // --- dispatch --------------------------------------------------------------------------------

  assignQueued(decide: (task: QueuedTask) => AssignmentDecision | 'stop' | null, options: { maxScanned: number; pageSize: number }): Promise<number> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const loads = new LoadChanges();
      let assigned = 0;
      let scanned = 0;
      let after: { priority: number; createdAt: string; id: string } | null = null;
      const pageSize = Math.max(1, Math.min(MAX_DISPATCH_PAGE, options.pageSize));
      const first = this.sql.statement(
        `SELECT ${QUEUE_COLUMNS} FROM tasks t WHERE status = 'queued' AND unfinished_parents = 0
         ORDER BY priority DESC, created_at, id LIMIT ?`,
      );
      const next = this.sql.statement(
        `SELECT ${QUEUE_COLUMNS} FROM tasks t WHERE status = 'queued' AND unfinished_parents = 0
           AND (priority < ? OR (priority = ? AND (created_at > ? OR (created_at = ? AND id > ?))))
         ORDER BY priority DESC, created_at, id LIMIT ?`,
      );
      const assign = this.sql.statement(
        "UPDATE tasks SET status = 'assigned', assigned_to = ?, assigned_at = ?, last_progress_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'",
      );
      while (scanned < options.maxScanned) {
        const page = (
          after
            ? next.all(after.priority, after.priority, after.createdAt, after.createdAt, after.id, pageSize)
            : first.all(pageSize)
        ) as (QueuedTask & { priority: number; createdAt: string; title: string; urgency: string })[];
        let stop = false;
        for (const task of page) {
          scanned += 1;
          const decision = decide(task);
          if (decision === null) continue;
          if (decision === 'stop') {
            stop = true;
            break;
          }
          const time = sqlTime(now);
          if (assign.run(decision.agentId, time, time, time, task.id).changes === 0) continue;
          if (decision.breaker.probeTaskId === task.id) this.saveBreaker(tx, decision.agentId, this.breakerOf(decision.agentId), decision.breaker, now);
          loads.add(decision.agentId, 1);
          const view = { ...task, status: 'assigned', assignedTo: decision.agentId };
          tx.emit('task_assigned', taskEventView(view), taskScope(view));
          assigned += 1;
        }
        if (stop || page.length < pageSize) break;
        const last = page[page.length - 1]!;
        after = { priority: last.priority, createdAt: last.createdAt, id: last.id };
      }
      this.applyLoads(tx, loads, now);
      return assigned;
    });
  }

  // --- worker side -----------------------------------------------------------------------------

  claimAssigned(agentId: string, limit: number, instanceId?: string): Promise<ClaimedTask[]> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const time = sqlTime(now);
      if (instanceId !== undefined) {
        const current = this.sql.statement('SELECT instance_id FROM agents WHERE id = ?').pluck().get(agentId) as string | null | undefined;
        if (current !== instanceId) {
          throw conflict(`instance ${instanceId} of agent ${agentId} was replaced by a newer registration (or never registered); register again`);
        }
      }
      const rows = this.sql
        .statement(`SELECT ${TASK_COLUMNS} FROM tasks WHERE assigned_to = ? AND status = 'assigned' ORDER BY priority DESC, created_at, id LIMIT ?`)
        .all(agentId, limit) as RawTask[];
      const claimed: ClaimedTask[] = [];
      for (const row of rows) {
        const task = toRecord(row);
        const attemptId = newId(now.getTime());
        const attempt = task.attempts + 1;
        // Attempt numbers keep counting across retries (retry resets the task's attempt budget, not its history).
        const { number } = this.sql.statement('SELECT COALESCE(MAX(number), 0) + 1 AS number FROM task_attempts WHERE task_id = ?').get(task.id) as {
          number: number;
        };
        const moved = this.sql
          .statement(
            `UPDATE tasks SET status = 'running', attempts = ?, current_attempt_id = ?, started_at = ?, last_progress_at = ?, updated_at = ?
             WHERE id = ? AND status = 'assigned' AND assigned_to = ?`,
          )
          .run(attempt, attemptId, time, time, time, task.id, agentId);
        if (moved.changes === 0) continue;
        this.sql
          .statement("INSERT INTO task_attempts (id, task_id, agent_id, instance_id, number, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)")
          .run(attemptId, task.id, agentId, instanceId ?? null, number, time);
        tx.emit('task_claimed', { ...taskEventView({ ...task, status: 'running' }), attemptId, attempt }, taskScope(task));
        claimed.push({
          taskId: task.id,
          attemptId,
          attempt,
          title: task.title,
          prompt: this.claimedPrompt(task, attemptId, agentId),
          priority: task.priority,
          requiredCapability: task.requiredCapability,
          model: task.model,
          deadline: task.deadline === null ? null : new Date(task.deadline).toISOString(),
        });
      }
      return claimed;
    });
  }

  /** The prompt handed to the claiming agent: the task's own, after the claim-time injectors. */
  private claimedPrompt(task: TaskRecord, attemptId: string, agentId: string): string {
    let prompt = task.prompt;
    for (const inject of this.deps.claimPromptInjectors ?? []) prompt = inject({ taskId: task.id, attemptId, agentId, title: task.title, prompt });
    return prompt;
  }

  reportAttempts(principal: Principal, reports: AttemptReport[]): Promise<(ReportEffects | AppError)[]> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const loads = new LoadChanges();
      const answers = reports.map((report) => {
        try {
          return tx.savepoint(() => {
            const itemLoads = new LoadChanges();
            const effects = this.reportOne(tx, principal, report, itemLoads, now);
            for (const [agentId, delta] of itemLoads.deltas) loads.add(agentId, delta);
            return effects;
          });
        } catch (error) {
          // A refused report (stale lease, wrong agent, …) changes nothing; the others go on.
          if (error instanceof AppError) return error;
          throw error;
        }
      });
      this.applyLoads(tx, loads, now);
      // Everything of the reports is written, nothing committed: a crash here must lose all of it.
      if (this.deps.crashPoint === 'report-before-commit') process.kill(process.pid, 'SIGKILL');
      return answers;
    });
  }

  private reportOne(tx: EventTransaction, principal: Principal, report: AttemptReport, loads: LoadChanges, now: Date): ReportEffects {
    const previous = report.idempotencyKey ? this.storedAnswer<ReportResult>(report.idempotencyKey) : null;
    if (previous) return { result: previous, replayed: true, agentId: null, taskTitle: '', failedForGood: false, breakerTripped: null, costLogged: false };
    const time = sqlTime(now);
    const task = this.leasedTask(principal, report.taskId, report.attemptId);
    const agentId = task.assignedTo;

    let costLogged = false;
    if (report.usage && agentId) {
      this.insertCost(tx, agentId, task.id, report.usage, now);
      costLogged = true;
    }

    let result: ReportResult;
    let failedForGood = false;
    let breakerTripped: ReportEffects['breakerTripped'] = null;
    if (report.status === 'done') {
      this.sql
        .statement(
          `UPDATE tasks SET status = 'done', output = ?, error = NULL, confidence = ?, completed_at = ?, current_attempt_id = NULL, updated_at = ?
           WHERE id = ?`,
        )
        .run(report.output === null ? null : capTaskOutput(report.output), report.confidence, time, time, task.id);
      if (task.currentAttemptId) this.endAttempt(task.currentAttemptId, 'done', now);
      if (agentId) {
        this.recordOutcome(tx, agentId, task.requiredCapability, true, now);
        loads.add(agentId, -1);
      }
      tx.emit('task_completed', { ...taskEventView({ ...task, status: 'done' }), attemptId: task.currentAttemptId }, taskScope(task));
      this.releaseChildren(tx, task.id, now);
      result = { taskId: task.id, status: 'done', attempts: task.attempts };
    } else {
      if (agentId) breakerTripped = this.recordOutcome(tx, agentId, task.requiredCapability, false, now, report.error ?? undefined);
      const countAttempt = task.status === 'assigned';
      const effect = this.requeueOrFailInTransaction(tx, task, loads, now, {
        reason: 'worker_failure',
        error: report.error ?? 'the worker reported a failure',
        countAttempt,
        attemptStatus: 'failed',
      });
      failedForGood = effect.outcome === 'failed';
      // What this report did; dispatch may hand the task out again right after.
      result = { taskId: task.id, status: failedForGood ? 'failed' : 'queued', attempts: effect.attempts };
    }
    if (report.idempotencyKey) this.storeAnswer(report.idempotencyKey, 'tasks.report', result, now);
    return { result, replayed: false, agentId, taskTitle: task.title, failedForGood, breakerTripped, costLogged };
  }

  appendStream(
    principal: Principal,
    input: { taskId: string; attemptId: string; content: string; idempotencyKey: string | null },
  ): Promise<{ streamBytes: number; truncatedBefore: boolean }> {
    return this.deps.events.transact((tx) => {
      const previous = input.idempotencyKey ? this.storedAnswer<{ streamBytes: number; truncatedBefore: boolean }>(input.idempotencyKey) : null;
      if (previous) return previous;
      const task = this.leasedTask(principal, input.taskId, input.attemptId);
      if (task.status !== 'running') throw conflict(`task ${task.id} is ${task.status}; claim it before streaming`);
      const now = this.now();
      const time = sqlTime(now);
      const bytes = utf8Bytes(input.content);
      let streamBytes = task.streamBytes + bytes;
      let truncated = task.streamTruncated;
      this.sql
        .statement('INSERT INTO task_stream_chunks (task_id, attempt_id, content, bytes, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(task.id, input.attemptId, input.content, bytes, time);
      if (streamBytes > LIMITS.taskStreamLogBytes) {
        // Past the cap the oldest chunks go, and the task says so.
        const chunks = this.sql.statement('SELECT id, bytes FROM task_stream_chunks WHERE task_id = ? ORDER BY id').all(task.id) as { id: number; bytes: number }[];
        const drop = this.sql.statement('DELETE FROM task_stream_chunks WHERE id = ?');
        for (const chunk of chunks) {
          if (streamBytes <= LIMITS.taskStreamLogBytes) break;
          drop.run(chunk.id);
          streamBytes -= chunk.bytes;
        }
        truncated = true;
      }
      this.sql
        .statement('UPDATE tasks SET stream_bytes = ?, stream_truncated = ?, last_progress_at = ?, updated_at = ? WHERE id = ?')
        .run(streamBytes, truncated ? 1 : 0, time, time, task.id);
      tx.emit(
        'task_stream',
        { taskId: task.id, attemptId: input.attemptId, agentId: task.assignedTo ?? '', content: input.content, truncatedBefore: truncated },
        taskScope(task),
      );
      const answer = { streamBytes, truncatedBefore: truncated };
      if (input.idempotencyKey) this.storeAnswer(input.idempotencyKey, 'tasks.stream', answer, now);
      return answer;
    });
  }

  /**
   * Spec section 13: the original task is suspended with the partial output; a continuation
   * with the same capability, at bumped priority, carries the partial work and is dispatched.
   */
  handOff(principal: Principal, input: { taskId: string; attemptId?: string; partialOutput: string; createdBy: string; idempotencyKey: string | null }) {
    return this.deps.events.transact((tx) => {
      type Answer = { taskId: string; status: string; continuationTaskId: string };
      const previous = input.idempotencyKey ? this.storedAnswer<Answer>(input.idempotencyKey) : null;
      if (previous) return previous;
      const task = this.leasedTask(principal, input.taskId, input.attemptId);
      const now = this.now();
      const time = sqlTime(now);
      const loads = new LoadChanges();
      this.sql
        .statement("UPDATE tasks SET status = 'suspended', output = ?, completed_at = ?, current_attempt_id = NULL, updated_at = ? WHERE id = ?")
        .run(input.partialOutput, time, time, task.id);
      if (task.currentAttemptId) this.endAttempt(task.currentAttemptId, 'handed_off', now);
      if (task.assignedTo) {
        this.releaseProbe(tx, task.assignedTo, task.id, now);
        loads.add(task.assignedTo, -1);
      }
      const continuation = this.insertTask(
        {
          title: task.title,
          prompt: `${CONTINUATION_PREFIX}\n${input.partialOutput}\n\nORIGINAL TASK:\n${task.prompt}`,
          priority: Math.min(MAX_PRIORITY, task.priority + PRIORITY_BUMP),
          requiredCapability: task.requiredCapability,
          assignTo: null,
          deadline: task.deadline === null ? null : new Date(task.deadline),
          urgency: task.urgency,
          model: task.model,
          createdBy: input.createdBy,
          continuesTaskId: task.id,
          handedOffBy: task.assignedTo,
        },
        now,
      );
      tx.emit('task_created', taskEventView(continuation), { permission: 'tasks:read' });
      this.graph.moveChildren(task.id, continuation.id);
      tx.emit('task_handoff', { taskId: task.id, continuationTaskId: continuation.id, fromAgentId: task.assignedTo ?? '' }, taskScope(task));
      this.applyLoads(tx, loads, now);
      const answer: Answer = { taskId: task.id, status: 'suspended', continuationTaskId: continuation.id };
      if (input.idempotencyKey) this.storeAnswer(input.idempotencyKey, 'tasks.handoff', answer, now);
      return answer;
    });
  }

  requeueOrFail(taskId: string, options: RequeueOptions): Promise<RequeueEffect> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const task = this.taskById(taskId);
      if (!task || (task.status !== 'assigned' && task.status !== 'running')) {
        return { taskId, title: task?.title ?? '', outcome: 'unchanged', attempts: task?.attempts ?? 0, lastAgentId: task?.assignedTo ?? null };
      }
      const loads = new LoadChanges();
      const effect = this.requeueOrFailInTransaction(tx, task, loads, now, options);
      this.applyLoads(tx, loads, now);
      return effect;
    });
  }

  recordUsage(agentId: string, taskId: string | null, usage: UsageRecord): Promise<CostEntry> {
    return this.deps.events.transact((tx) => {
      if (taskId !== null && !this.sql.statement('SELECT 1 FROM tasks WHERE id = ?').get(taskId)) {
        throw new AppError('not_found', 'taskId: task not found', { field: 'taskId' });
      }
      const now = this.now();
      const id = this.insertCost(tx, agentId, taskId, usage, now);
      return { id, agentId, taskId, ...usage, createdAt: now.toISOString() };
    });
  }

  registerInstance(agentId: string, instanceId: string): Promise<RequeueEffect[]> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      this.sql.statement('UPDATE agents SET instance_id = ?, claiming_paused = NULL, updated_at = ? WHERE id = ?').run(instanceId, sqlTime(now), agentId);
      tx.afterCommit(() => this.deps.capacity.setClaimingPaused(agentId, null));
      return this.releaseInTransaction(tx, agentId, { reason: 'instance_replaced', includeAssigned: false, keepInstanceId: instanceId }, now);
    });
  }

  releaseAgentWork(agentId: string, selection: ReleaseSelection): Promise<RequeueEffect[]> {
    return this.deps.events.transact((tx) => this.releaseInTransaction(tx, agentId, selection, this.now()));
  }

  setClaimingPaused(agentId: string, reason: string | null): Promise<void> {
    return this.deps.events.transact((tx) => {
      const agent = this.sql.statement('SELECT name, status, active_tasks AS activeTasks, max_concurrent AS maxConcurrent, claiming_paused AS claimingPaused FROM agents WHERE id = ?').get(agentId) as
        | { name: string; status: string; activeTasks: number; maxConcurrent: number; claimingPaused: string | null }
        | undefined;
      if (!agent || agent.claimingPaused === reason) return;
      this.sql.statement('UPDATE agents SET claiming_paused = ?, updated_at = ? WHERE id = ?').run(reason, sqlTime(this.now()), agentId);
      tx.emit('agent_updated', agentEventView({ id: agentId, ...agent }), { permission: 'agents:read', agentId });
      tx.afterCommit(() => this.deps.capacity.setClaimingPaused(agentId, reason));
    });
  }

  markProgress(agentId: string, taskIds: string[]): Promise<void> {
    if (taskIds.length === 0) return Promise.resolve();
    return this.sql.transaction(() => {
      const time = sqlTime(this.now());
      this.sql
        .statement(
          `UPDATE tasks SET last_progress_at = ? WHERE assigned_to = ? AND status IN ('assigned', 'running')
             AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(time, agentId, JSON.stringify(taskIds));
    });
  }

  assignedTaskIds(agentId: string, limit: number): Promise<string[]> {
    return this.sql.read(
      () =>
        this.sql
          .statement("SELECT id FROM tasks WHERE assigned_to = ? AND status = 'assigned' ORDER BY priority DESC, created_at, id LIMIT ?")
          .pluck()
          .all(agentId, limit) as string[],
    );
  }

  stalledTasks(cutoff: Date, limit: number): Promise<{ id: string; status: string }[]> {
    return this.sql.read(
      () =>
        this.sql
          .statement("SELECT id, status FROM tasks WHERE status IN ('assigned', 'running') AND last_progress_at < ? ORDER BY last_progress_at LIMIT ?")
          .all(sqlTime(cutoff), limit) as { id: string; status: string }[],
    );
  }

  setAgentPresence(agentId: string, presence: 'online' | 'offline', reason: 'heartbeat_timeout' | 'deregistered' = 'heartbeat_timeout'): Promise<boolean> {
    return this.deps.events.transact((tx) => {
      const now = this.now();
      const agent = this.sql.statement('SELECT id, name, kind, status, active_tasks AS activeTasks, max_concurrent AS maxConcurrent FROM agents WHERE id = ?').get(agentId) as
        | { id: string; name: string; kind: string; status: string; activeTasks: number; maxConcurrent: number }
        | undefined;
      if (!agent) return false;
      const status = presence === 'offline' ? 'offline' : agent.activeTasks > 0 ? 'busy' : 'online';
      const changed = (presence === 'offline') !== (agent.status === 'offline');
      if (changed) {
        this.sql.statement('UPDATE agents SET status = ?, updated_at = ? WHERE id = ?').run(status, sqlTime(now), agentId);
        this.recordStatus(agentId, status, now);
        if (presence === 'offline') tx.emit('agent_offline', { agentId, reason }, { permission: 'agents:read', agentId });
        else tx.emit('agent_online', { agentId, name: agent.name, kind: agent.kind }, { permission: 'agents:read', agentId });
        tx.emit('agent_updated', agentEventView({ ...agent, status }), { permission: 'agents:read', agentId });
        tx.afterCommit(() => this.deps.capacity.setLoad(agentId, agent.activeTasks, status));
      }
      // An offline agent holds nothing: its assigned and running work goes back in the same
      // transaction, so a crash cannot leave an offline agent sitting on tasks.
      if (presence === 'offline') this.releaseInTransaction(tx, agentId, { reason: 'agent_offline', includeAssigned: true }, now);
      return changed;
    });
  }

  // --- capacity --------------------------------------------------------------------------------

  loadCapacity(): Promise<AgentCapacity[]> {
    return this.deps.events.transact((tx) => {
      const ids = this.sql.statement('SELECT id FROM agents ORDER BY id').pluck().all() as string[];
      return ids.map((id) => this.readCapacity(tx, id)!);
    });
  }

  loadAgentCapacity(agentId: string): Promise<AgentCapacity | null> {
    return this.deps.events.transact((tx) => this.readCapacity(tx, agentId));
  }

  /** One agent's capacity from the tables; a stored load that disagrees with the open tasks is corrected. */
  private readCapacity(tx: EventTransaction, agentId: string): AgentCapacity | null {
    const row = this.sql
      .statement(
        `SELECT id, name, kind, status, max_concurrent AS maxConcurrent, active_tasks AS activeTasks, daily_token_budget AS dailyTokenBudget,
           claiming_paused AS claimingPaused
         FROM agents WHERE id = ?`,
      )
      .get(agentId) as
      | { id: string; name: string; kind: string; status: string; maxConcurrent: number; activeTasks: number; dailyTokenBudget: number | null; claimingPaused: string | null }
      | undefined;
    if (!row) return null;
    const now = this.now();
    const open = (this.sql.statement("SELECT COUNT(*) AS n FROM tasks WHERE assigned_to = ? AND status IN ('assigned', 'running')").get(agentId) as { n: number }).n;
    let status = row.status;
    if (open !== row.activeTasks || (status !== 'offline' && status !== (open > 0 ? 'busy' : 'online'))) {
      status = status === 'offline' ? 'offline' : open > 0 ? 'busy' : 'online';
      this.sql.statement('UPDATE agents SET active_tasks = ?, status = ?, updated_at = ? WHERE id = ?').run(open, status, sqlTime(now), agentId);
      if (status !== row.status) this.recordStatus(agentId, status, now);
      tx.emit('agent_updated', agentEventView({ ...row, activeTasks: open, status }), { permission: 'agents:read', agentId });
    }
    const capacity = emptyCapacity({ id: row.id, name: row.name, kind: row.kind, status, maxConcurrent: row.maxConcurrent });
    capacity.activeTasks = open;
    capacity.dailyTokenBudget = row.dailyTokenBudget;
    capacity.claimingPaused = row.claimingPaused;
    capacity.capabilities = new Set(this.sql.statement('SELECT capability FROM agent_capabilities WHERE agent_id = ?').pluck().all(agentId) as string[]);
    capacity.breaker = this.breakerOf(agentId);
    const dayStart = `${utcDayOf(now)}T00:00:00.000+00:00`;
    const usage = this.sql
      .statement('SELECT COALESCE(SUM(input_tokens + output_tokens), 0) AS tokens, COALESCE(SUM(cost_usd), 0) AS usd FROM cost_log WHERE agent_id = ? AND created_at >= ?')
      .get(agentId, dayStart) as { tokens: number; usd: number };
    capacity.tokensToday = usage.tokens;
    capacity.usdToday = usage.usd;
    capacity.usageDay = utcDayOf(now);
    for (const outcome of this.sql.statement('SELECT capability, successes, failures FROM capability_outcomes WHERE agent_id = ?').all(agentId) as {
      capability: string;
      successes: number;
      failures: number;
    }[]) {
      capacity.outcomes.set(outcome.capability, { successes: outcome.successes, failures: outcome.failures });
    }
    return capacity;
  }

  // --- pieces used inside transactions ---------------------------------------------------------

  private taskById(taskId: string): TaskRecord | null {
    const row = this.sql.statement(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`).get(taskId) as RawTask | undefined;
    return row ? toRecord(row) : null;
  }

  private insertTask(task: NewTask, now: Date, options: { id?: string; unfinishedParents?: number } = {}): TaskRecord {
    const id = options.id ?? newId(now.getTime());
    const time = sqlTime(now);
    this.sql
      .statement(
        `INSERT INTO tasks (id, title, prompt, status, priority, required_capability, assign_to, deadline, urgency, model, created_by,
           continues_task_id, handed_off_by, unfinished_parents, created_at, updated_at)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        task.title,
        task.prompt,
        task.priority,
        task.requiredCapability,
        task.assignTo,
        task.deadline === null ? null : sqlTime(task.deadline),
        task.urgency ?? 'low',
        task.model,
        task.createdBy,
        task.continuesTaskId ?? null,
        task.handedOffBy ?? null,
        options.unfinishedParents ?? 0,
        time,
        time,
      );
    return {
      id,
      title: task.title,
      prompt: task.prompt,
      status: 'queued',
      priority: task.priority,
      urgency: task.urgency ?? 'low',
      assignedTo: null,
      assignTo: task.assignTo,
      requiredCapability: task.requiredCapability,
      deadline: task.deadline === null ? null : sqlTime(task.deadline),
      model: task.model,
      attempts: 0,
      currentAttemptId: null,
      streamBytes: 0,
      streamTruncated: false,
      confidence: null,
      createdAt: time,
      updatedAt: time,
    };
  }

  /**
   * Loads a task for a lease-bound call. An agent must be the assignee (403 otherwise, the IDOR
   * check) and name the current attempt (409 for a stale one); an operator may act without one.
   */
  private leasedTask(principal: Principal, taskId: string, attemptId: string | undefined): TaskRecord {
    const task = this.taskById(taskId);
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

  /** Requeues the selected open work of an agent (see ReleaseSelection); attempts end as stale. */
  private releaseInTransaction(tx: EventTransaction, agentId: string, selection: ReleaseSelection, now: Date): RequeueEffect[] {
    const rows = this.sql
      .statement(
        `SELECT t.id AS taskId, t.status, a.instance_id AS instanceId, a.started_at AS startedAt FROM tasks t
         LEFT JOIN task_attempts a ON a.id = t.current_attempt_id
         WHERE t.assigned_to = ? AND t.status IN ('assigned', 'running')`,
      )
      .all(agentId) as { taskId: string; status: string; instanceId: string | null; startedAt: string | null }[];
    const keep = new Set(selection.keepTaskIds ?? []);
    const loads = new LoadChanges();
    const effects: RequeueEffect[] = [];
    for (const row of rows) {
      if (row.status === 'assigned' && !selection.includeAssigned) continue;
      if (row.status === 'running') {
        if (selection.keepInstanceId !== undefined && row.instanceId === selection.keepInstanceId) continue;
        if (keep.has(row.taskId)) continue;
        if (selection.startedBefore && row.startedAt !== null && new Date(row.startedAt).getTime() >= selection.startedBefore.getTime()) continue;
      }
      const task = this.taskById(row.taskId)!;
      effects.push(this.requeueOrFailInTransaction(tx, task, loads, now, { reason: selection.reason, countAttempt: false, attemptStatus: 'stale' }));
    }
    this.applyLoads(tx, loads, now);
    return effects;
  }

  /** A parent is done: children whose last parent it was get the outputs and become dispatchable. */
  private releaseChildren(tx: EventTransaction, parentId: string, now: Date): void {
    for (const ready of this.graph.releaseChildren(parentId, now)) {
      const child = this.taskById(ready.id)!;
      tx.emit('task_dependencies_met', { ...taskEventView(child), parentIds: ready.parentIds }, taskScope(child));
    }
  }

  /** A task that can no longer be done takes its waiting descendants with it, each naming it. */
  private cancelDescendants(tx: EventTransaction, root: TaskRecord, verb: 'failed' | 'cancelled', now: Date): void {
    for (const id of this.graph.cancelWaitingDescendants(root, verb, now)) {
      const child = this.taskById(id)!;
      tx.emit('task_cancelled', { ...taskEventView(child), blockedBy: { taskId: root.id, title: root.title } }, taskScope(child));
    }
  }

  /** The first answer of an idempotent call, if it was made before. */
  private storedAnswer<T>(key: string): T | null {
    const row = this.sql.statement('SELECT response FROM idempotency_keys WHERE key = ?').get(key) as { response: string } | undefined;
    return row ? (JSON.parse(row.response) as T) : null;
  }

  private storeAnswer(key: string, scope: string, answer: unknown, now: Date): void {
    this.sql.statement('INSERT INTO idempotency_keys (key, scope, response, created_at) VALUES (?, ?, ?, ?)').run(key, scope, JSON.stringify(answer), sqlTime(now));
  }

  /** `error` is kept on the attempt itself: the task's error says only why the last one failed. */
  private endAttempt(attemptId: string, status: string, now: Date, error: string | null = null): void {
    this.sql
      .statement("UPDATE task_attempts SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'")
      .run(status, sqlTime(now), error, attemptId);
  }

  /**
   * An attempt ended without a result. Before the attempt limit the task returns to the queue;
   * at it, the task fails (the caller raises the task-failed alert after the commit).
   */
  private requeueOrFailInTransaction(tx: EventTransaction, task: TaskRecord, loads: LoadChanges, now: Date, options: RequeueOptions): RequeueEffect {
    const time = sqlTime(now);
    const attempts = task.attempts + (options.countAttempt ? 1 : 0);
    const exhausted = attempts >= this.deps.maxAttempts;
    const error = options.error ?? null;
    if (exhausted) {
      this.sql
        .statement("UPDATE tasks SET status = 'failed', attempts = ?, error = COALESCE(?, error), completed_at = ?, current_attempt_id = NULL, updated_at = ? WHERE id = ?")
        .run(attempts, error, time, time, task.id);
    } else {
      this.sql
        .statement(
          `UPDATE tasks SET status = 'queued', attempts = ?, error = COALESCE(?, error), assigned_to = NULL, assigned_at = NULL,
             current_attempt_id = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(attempts, error, time, task.id);
    }
    if (task.currentAttemptId) this.endAttempt(task.currentAttemptId, options.attemptStatus, now, error);
    if (task.assignedTo) {
      if (options.attemptStatus === 'stale') this.releaseProbe(tx, task.assignedTo, task.id, now);
      loads.add(task.assignedTo, -1);
    }
    const updated = this.taskById(task.id)!;
    if (exhausted) {
      tx.emit('task_failed', { ...taskEventView({ ...updated, assignedTo: task.assignedTo }), attemptId: task.currentAttemptId, error }, taskScope(task));
      this.cancelDescendants(tx, updated, 'failed', now);
    } else {
      tx.emit('task_requeued', { ...taskEventView(updated), reason: options.reason }, taskScope(task));
    }
    return { taskId: task.id, title: task.title, outcome: exhausted ? 'failed' : 'requeued', attempts, lastAgentId: task.assignedTo };
  }

  private insertCost(tx: EventTransaction, agentId: string, taskId: string | null, usage: UsageRecord, now: Date): string {
    const id = newId(now.getTime());
    this.sql
      .statement(
        'INSERT INTO cost_log (id, agent_id, task_id, input_tokens, output_tokens, model, cost_usd, cost_source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, agentId, taskId, usage.inputTokens, usage.outputTokens, usage.model, usage.costUsd, usage.costSource, sqlTime(now));
    tx.emit(
      'cost_logged',
      { agentId, taskId, model: usage.model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: usage.costUsd },
      { permission: 'tasks:read', agentId },
    );
    tx.afterCommit(() => this.deps.capacity.addUsage(agentId, usage.inputTokens + usage.outputTokens, usage.costUsd, now));
    return id;
  }

  /** Reputation and breaker bookkeeping for one verdict; says when the failure threshold was just reached. */
  private recordOutcome(
    tx: EventTransaction,
    agentId: string,
    capability: string | null,
    success: boolean,
    now: Date,
    error?: string,
  ): ReportEffects['breakerTripped'] {
    const time = sqlTime(now);
    this.sql
      .statement(
        `INSERT INTO capability_outcomes (agent_id, capability, successes, failures, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (agent_id, capability) DO UPDATE SET successes = successes + excluded.successes, failures = failures + excluded.failures,
           updated_at = excluded.updated_at`,
      )
      .run(agentId, capability ?? GENERAL_CAPABILITY, success ? 1 : 0, success ? 0 : 1, time);
    tx.afterCommit(() => this.deps.capacity.addOutcome(agentId, capability, success));
    const before = this.breakerOf(agentId);
    const after = success ? breakerAfterSuccess() : breakerAfterFailure(before, now, this.deps.breaker);
    this.saveBreaker(tx, agentId, before, after, now);
    if (!success && after.consecutiveFailures === this.deps.breaker.failureThreshold) {
      return { consecutiveFailures: after.consecutiveFailures, error: error ?? null };
    }
    return null;
  }

  private breakerOf(agentId: string): BreakerRecord {
    const row = this.sql
      .statement('SELECT state, consecutive_failures AS consecutiveFailures, opened_at AS openedAt, probe_task_id AS probeTaskId FROM breaker_state WHERE agent_id = ?')
      .get(agentId) as { state: BreakerRecord['state']; consecutiveFailures: number; openedAt: string | null; probeTaskId: string | null } | undefined;
    if (!row) return CLOSED_BREAKER;
    return { ...row, openedAt: row.openedAt === null ? null : new Date(row.openedAt) };
  }

  /** Stores a breaker transition (no row is written for an agent whose breaker never moved) and announces state changes. */
  private saveBreaker(tx: EventTransaction, agentId: string, before: BreakerRecord, after: BreakerRecord, now: Date): void {
    const unchanged =
      before.state === after.state &&
      before.consecutiveFailures === after.consecutiveFailures &&
      before.probeTaskId === after.probeTaskId &&
      (before.openedAt?.getTime() ?? null) === (after.openedAt?.getTime() ?? null);
    if (!unchanged) {
      this.sql
        .statement(
          `INSERT INTO breaker_state (agent_id, state, consecutive_failures, opened_at, probe_task_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (agent_id) DO UPDATE SET state = excluded.state, consecutive_failures = excluded.consecutive_failures,
             opened_at = excluded.opened_at, probe_task_id = excluded.probe_task_id, updated_at = excluded.updated_at`,
        )
        .run(agentId, after.state, after.consecutiveFailures, after.openedAt === null ? null : sqlTime(after.openedAt), after.probeTaskId, sqlTime(now));
    }
    tx.afterCommit(() => this.deps.capacity.setBreaker(agentId, after));
    if (after.state !== before.state) {
      tx.emit('breaker_changed', { agentId, state: after.state, consecutiveFailures: after.consecutiveFailures }, { permission: 'agents:read', agentId });
    }
  }

  /** A half-open breaker's probe that ended without a verdict frees the way for another. */
  private releaseProbe(tx: EventTransaction, agentId: string, taskId: string, now: Date): void {
    const before = this.breakerOf(agentId);
    if (before.probeTaskId !== taskId) return;
    this.saveBreaker(tx, agentId, before, breakerAfterProbeAbandoned(before, taskId), now);
  }

  /** Applies the transaction's load changes: active_tasks, busy/online, status history, one agent_updated per agent. */
  private applyLoads(tx: EventTransaction, loads: LoadChanges, now: Date): void {
    for (const [agentId, delta] of loads.deltas) {
      if (delta === 0) continue;
      const agent = this.sql.statement('SELECT name, status, active_tasks AS activeTasks, max_concurrent AS maxConcurrent FROM agents WHERE id = ?').get(agentId) as
        | { name: string; status: string; activeTasks: number; maxConcurrent: number }
        | undefined;
      if (!agent) continue;
      const activeTasks = Math.max(0, agent.activeTasks + delta);
      const status = agent.status === 'offline' ? 'offline' : activeTasks > 0 ? 'busy' : 'online';
      this.sql.statement('UPDATE agents SET active_tasks = ?, status = ?, updated_at = ? WHERE id = ?').run(activeTasks, status, sqlTime(now), agentId);
      if (status !== agent.status) this.recordStatus(agentId, status, now);
      tx.emit('agent_updated', agentEventView({ id: agentId, name: agent.name, status, activeTasks, maxConcurrent: agent.maxConcurrent }), {
        permission: 'agents:read',
        agentId,
      });
      tx.afterCommit(() => this.deps.capacity.setLoad(agentId, activeTasks, status));
    }
  }

  private recordStatus(agentId: string, status: string, at: Date): void {
    this.sql.statement('INSERT INTO agent_status_changes (id, agent_id, status, at) VALUES (?, ?, ?, ?)').run(newId(at.getTime()), agentId, status, sqlTime(at));
  }
}

const QUEUE_COLUMNS =
  'id, title, urgency, priority, created_at AS createdAt, required_capability AS requiredCapability, assign_to AS assignTo, handed_off_by AS handedOffBy';

