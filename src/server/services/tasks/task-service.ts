// Tasks from the operator's side: create one or many (then dispatch), get, list with filters and
// cursor paging, cancel (the worker hears it and stops), retry, the stream log; and the
// requeue-or-fail rule shared by worker reports and the sweepers. State changes go through the
// task repository (one transaction with their events); reads of details and lists use Prisma.
import { LIMITS } from '@/lib/limits';
import { tasksListInput, type tasksCreateInput } from '@/lib/tasks';
import type { z } from 'zod';
import type { Clock } from '../../clock';
import type { Database } from '../../db/client';
import { badInput, notFound } from '../../errors';
import { canTouchTask, principalLabel, seesWholeMesh, type Principal } from '../../auth/principal';
import type { RequeueOptions, TaskRecord, TaskRepository, WaitingParent } from '../../tasks/task-repository';
import type { WaitingTask } from '../../tasks/wait-reasons';
import type { WaitReason } from '@/lib/wait-reasons';

export interface TaskAlerts {
  send(alert: { kind: 'task_failed' | 'deadline'; dedupKey: string; title: string; message: string; priority?: number }): Promise<unknown>;
}

export interface TaskServiceDeps {
  db: Database;
  clock: Clock;
  repository: TaskRepository;
  alerts: TaskAlerts;
  requestDispatch: () => void;
  /** Why an unstarted task is not running (src/server/tasks/wait-reasons.ts); absent: no reasons given. */
  explainWait?: (task: WaitingTask) => WaitReason | null;
}

export type { RequeueReason } from '../../tasks/task-repository';

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
  attemptHistory: { id: string; number: number; agentId: string; status: string; startedAt: string; endedAt: string | null; error: string | null }[];
  costs: { model: string; inputTokens: number; outputTokens: number; costUsd: number; costSource: string }[];
  waitReason: WaitReason | null;
}

/** A task in a listing, with why it waits when it has not started. */
export type TaskListItem = TaskSummary & { waitReason: WaitReason | null };

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
    const index = input.dependsOn?.findIndex((ref) => typeof ref === 'number') ?? -1;
    if (index !== -1) throw badInput(`dependsOn[${index}]`, 'an index names a task of the same tasks.createMany call; here name a task id');
    const [summary] = await this.createMany(principal, [input], { single: true });
    return summary!;
  }

  /** Creates up to 500 tasks, all or nothing, in one transaction, then runs one dispatch pass. */
  async createMany(principal: Principal, inputs: z.infer<typeof tasksCreateInput>[], options: { single?: boolean } = {}): Promise<TaskSummary[]> {
    const createdBy = principalLabel(principal);
    const records = await this.deps.repository.createTasks(
      inputs.map((input) => ({
        title: input.title,
        prompt: input.prompt,
        priority: input.priority,
        requiredCapability: input.requiredCapability ?? null,
        assignTo: input.assignTo ?? null,
        deadline: input.deadline ? new Date(input.deadline) : null,
        model: input.model ?? null,
        createdBy,
        clientRequestId: input.clientRequestId,
        dependsOn: input.dependsOn,
      })),
      createdBy,
      options,
    );
    this.deps.requestDispatch();
    return records.map(recordSummary);
  }

  async get(principal: Principal, taskId: string): Promise<TaskDetail> {
    const task = await this.deps.db.task.findUnique({
      where: { id: taskId },
      include: {
        attemptRecords: { orderBy: { number: 'asc' } },
        costs: { select: { model: true, inputTokens: true, outputTokens: true, costUsd: true, costSource: true }, orderBy: { createdAt: 'asc' } },
      },
    });
    if (!task || !canTouchTask(principal, task)) throw notFound(`task ${taskId}`);
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
        error: attempt.error,
      })),
      costs: task.costs,
      waitReason: this.explainWait({ ...task, unfinishedParent: await this.firstUnfinishedParent(task) }),
    };
  }

  /**
   * Newest first; `nextCursor` continues the listing (ids are time-ordered). A worker or mobile
   * token sees only its own agent's tasks (assigned to it or created by it).
   */
  async list(
    principal: Principal,
    input: z.input<typeof tasksListInput>,
  ): Promise<{ tasks: TaskListItem[]; nextCursor: string | null; nextOffset: number | null; total: number | null }> {
    const query = tasksListInput.parse(input);
    const { rows, total } = await this.deps.repository.listTasks({
      statuses: query.status === undefined ? undefined : Array.isArray(query.status) ? query.status : [query.status],
      ids: query.ids,
      agentId: query.agentId,
      capability: query.capability,
      text: query.text,
      before: query.cursor,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
      timeField: query.timeField,
      sort: query.sort,
      order: query.order,
      offset: query.offset,
      limit: query.limit + 1,
      withTotal: query.withTotal,
      visibleTo: principal.kind === 'agent' && !seesWholeMesh(principal) ? { agentId: principal.agentId, createdBy: principalLabel(principal) } : undefined,
    });
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    const keyset = query.sort === 'createdAt' && query.order === 'desc';
    const queued = page.filter((record) => record.status === 'queued').map((record) => record.id);
    const parents = queued.length > 0 ? await this.deps.repository.unfinishedParents(queued) : new Map<string, WaitingParent[]>();
    return {
      tasks: page.map((record) => ({ ...recordSummary(record), waitReason: this.explainWait({ ...record, unfinishedParent: parents.get(record.id)?.[0] ?? null }) })),
      nextCursor: more && keyset ? page[page.length - 1]!.id : null,
      nextOffset: more ? query.offset + query.limit : null,
      total,
    };
  }

  /**
   * Re-run: a new task with the original's title, prompt, priority, capability, preferred agent
   * and model; the original is untouched. A deadline already past is dropped (the copy would be
   * born overdue).
   */
  async duplicate(principal: Principal, taskId: string): Promise<TaskSummary> {
    const original = await this.deps.db.task.findUnique({
      where: { id: taskId },
      select: { title: true, prompt: true, priority: true, requiredCapability: true, assignTo: true, deadline: true, model: true, assignedTo: true, createdBy: true },
    });
    if (!original || !canTouchTask(principal, original)) throw notFound(`task ${taskId}`);
    const now = this.deps.clock.now().getTime();
    return this.create(principal, {
      title: original.title,
      prompt: original.prompt,
      priority: original.priority,
      requiredCapability: original.requiredCapability ?? undefined,
      assignTo: original.assignTo ?? undefined,
      deadline: original.deadline && original.deadline.getTime() > now ? original.deadline.toISOString() : undefined,
      model: original.model ?? undefined,
    });
  }

  /** The first dependency a queued task still waits for (task graphs), for its wait reason. */
  private async firstUnfinishedParent(task: { id: string; status: string; unfinishedParents: number }): Promise<WaitingParent | null> {
    if (task.status !== 'queued' || task.unfinishedParents === 0) return null;
    return (await this.deps.repository.unfinishedParents([task.id])).get(task.id)?.[0] ?? null;
  }

  private explainWait(task: WaitingTask): WaitReason | null {
    return this.deps.explainWait?.(task) ?? null;
  }

  async chunks(principal: Principal, taskId: string, afterChunkId: number | undefined, limit: number) {
    await this.assertVisible(principal, taskId);
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
  async cancel(principal: Principal, taskId: string): Promise<TaskSummary> {
    await this.assertVisible(principal, taskId);
    const record = await this.deps.repository.cancel(taskId);
    this.deps.requestDispatch();
    return recordSummary(record);
  }

  /** Puts a failed or cancelled task back in the queue with a fresh attempt budget. */
  async retry(principal: Principal, taskId: string): Promise<TaskSummary> {
    await this.assertVisible(principal, taskId);
    const record = await this.deps.repository.retry(taskId);
    this.deps.requestDispatch();
    return recordSummary(record);
  }

  /**
   * An attempt ended without a result (a sweeper found the task stalled or its agent gone).
   * Before the attempt limit the task returns to the queue; at it, the task fails and the
   * task-failed alert fires once.
   */
  async requeueOrFail(taskId: string, options: RequeueOptions): Promise<'requeued' | 'failed' | 'unchanged'> {
    const effect = await this.deps.repository.requeueOrFail(taskId, options);
    if (effect.outcome === 'failed') await this.alertFailed(taskId, effect.title, effect.attempts, effect.lastAgentId);
    if (effect.outcome !== 'unchanged') this.deps.requestDispatch();
    return effect.outcome;
  }

  /**
   * A worker or mobile token may read and touch only its own agent's tasks (assigned to it or
   * created by it); others answer as if the task did not exist (no probing for ids).
   */
  async assertVisible(principal: Principal, taskId: string): Promise<void> {
    if (principal.kind !== 'agent' || seesWholeMesh(principal)) return;
    const task = await this.deps.db.task.findUnique({ where: { id: taskId }, select: { assignedTo: true, createdBy: true } });
    if (!task || !canTouchTask(principal, task)) throw notFound(`task ${taskId}`);
  }

  /** The task-failed alert (once per task: the alert service de-duplicates by task id). */
  async alertFailed(taskId: string, title: string, attempts: number, lastAgentId: string | null): Promise<void> {
    await this.deps.alerts.send({
      kind: 'task_failed',
      dedupKey: taskId,
      title: `Task failed: ${title}`,
      message: `"${title}" failed after ${attempts} attempts${lastAgentId ? ` (last on ${lastAgentId})` : ''}.`,
      priority: 4,
    });
  }
}

/** A repository record as the API shows it. */
export function recordSummary(task: TaskRecord): TaskSummary {
  return toSummary({
    ...task,
    deadline: task.deadline === null ? null : new Date(task.deadline),
    createdAt: new Date(task.createdAt),
    updatedAt: new Date(task.updatedAt),
  });
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
