// The task engine's storage operations. Each method is ONE transaction that writes a state change
// together with the event rows describing it (subscribers hear them after the commit) and brings
// the in-memory MeshCapacity up to date after the commit. Names are operations, not SQL: the SQLite
// implementation is src/server/db/sqlite/task-repository.ts; a PostgreSQL one (FOR UPDATE SKIP
// LOCKED claims) is a second file implementing the same interface.
import type { Principal } from '../auth/principal';
import type { AppError } from '../errors';
import type { BreakerRecord } from '../services/tasks/circuit-breaker';
import type { AgentCapacity } from './mesh-capacity';

export type { RequeueReason } from '@/lib/events';
import type { RequeueReason } from '@/lib/events';
import type { DependencyRef } from '@/lib/task-dependencies';

export interface NewTask {
  title: string;
  prompt: string;
  priority: number;
  requiredCapability: string | null;
  assignTo: string | null;
  deadline: Date | null;
  model: string | null;
  createdBy: string;
  urgency?: string;
  continuesTaskId?: string | null;
  handedOffBy?: string | null;
  /** With the caller's label: a resent create with the same id answers the first task and writes nothing. */
  clientRequestId?: string;
  /** Parents: task ids, or indexes of tasks in the same createTasks call. It waits, queued, until all are done. */
  dependsOn?: DependencyRef[];
}

/** Steps wired in sequence: step N+1 depends on step N. */
export interface NewPipeline {
  name: string;
  createdBy: string;
  steps: Omit<NewTask, 'dependsOn' | 'clientRequestId'>[];
}

/** A parent a task still waits for. */
export interface WaitingParent {
  id: string;
  title: string;
  status: string;
}

/** The columns the engine works with (no output: it can be 1 MB). */
export interface TaskRecord {
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
  attempts: number;
  currentAttemptId: string | null;
  streamBytes: number;
  streamTruncated: boolean;
  confidence: number | null;
  createdAt: string;
  updatedAt: string;
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

/** What the dispatcher decided for one queued task: the agent, and the breaker after assigning (a half-open probe). */
export interface AssignmentDecision {
  agentId: string;
  breaker: BreakerRecord;
}

export interface QueuedTask {
  id: string;
  requiredCapability: string | null;
  assignTo: string | null;
  /** A continuation: the agent that handed it off, which should not get it back while another can take it. */
  handedOffBy: string | null;
}

/** Which of an agent's open work to give back to the queue. */
export interface ReleaseSelection {
  reason: RequeueReason;
  /** Also assigned, never claimed tasks (requeued without counting an attempt). */
  includeAssigned: boolean;
  /** Keep running attempts of this worker instance. */
  keepInstanceId?: string;
  /** Keep running attempts of these tasks (a heartbeat's list). */
  keepTaskIds?: string[];
  /** Release only running attempts started before this (a claim the worker may not know about yet is spared). */
  startedBefore?: Date;
}

export interface UsageRecord {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  costSource: 'price_table' | 'reported';
}

export interface CostEntry extends UsageRecord {
  id: string;
  agentId: string;
  taskId: string | null;
  createdAt: string;
}

export interface AttemptReport {
  taskId: string;
  attemptId?: string;
  status: 'done' | 'failed';
  output: string | null;
  error: string | null;
  confidence: number | null;
  usage: UsageRecord | null;
  /** Already scoped to the caller (`report:<principal>:<key>`), or null. */
  idempotencyKey: string | null;
}

export type ReportResult = { taskId: string; status: string; attempts: number };

/** What a committed report changed, for the side effects that follow it (alerts, escalations). */
export interface ReportEffects {
  result: ReportResult;
  /** The first answer of an idempotent resend: nothing was written. */
  replayed: boolean;
  agentId: string | null;
  taskTitle: string;
  failedForGood: boolean;
  /** Consecutive failures after this verdict reached the breaker's threshold. */
  breakerTripped: { consecutiveFailures: number; error: string | null } | null;
  costLogged: boolean;
}

export interface RequeueOptions {
  reason: RequeueReason;
  error?: string;
  /** Adds one to attempts (tasks taken back before they were ever claimed). */
  countAttempt: boolean;
  attemptStatus: 'failed' | 'stale';
}

export interface RequeueEffect {
  taskId: string;
  title: string;
  outcome: 'requeued' | 'failed' | 'unchanged';
  attempts: number;
  lastAgentId: string | null;
}

export interface TaskListFilter {
  /** Any of these statuses (none: all). */
  statuses?: readonly string[];
  /** Only these tasks (an empty list matches none). */
  ids?: readonly string[];
  agentId?: string;
  capability?: string;
  /** Plain text (no wildcards): matched case-insensitively in title or prompt. */
  text?: string;
  /** Ids below this one (ids are time-ordered); meaningful with the default newest-first order. */
  before?: string;
  /** A time window over `timeField` (default updatedAt, the last change: for ended tasks, when they ended). */
  since?: Date;
  until?: Date;
  timeField?: 'createdAt' | 'updatedAt';
  sort?: 'createdAt' | 'updatedAt' | 'priority' | 'title' | 'status' | 'assignedTo';
  order?: 'asc' | 'desc';
  offset?: number;
  limit: number;
  /** Also count every match (one more query), for a paged list's "of N". */
  withTotal?: boolean;
  visibleTo?: { agentId: string; createdBy: string };
}

export interface TaskPage {
  rows: TaskRecord[];
  total: number | null;
}

export interface TaskRepository {
  /**
   * Inserts tasks (all or nothing) with one task_created event each; `requester` scopes client
   * request ids. Parents are resolved and a cycle refused (400 naming the task) before any row is
   * written; a task with unfinished parents waits, queued, and is never dispatched.
   */
  createTasks(tasks: NewTask[], requester: string, options?: { /** tasks.create: errors name `dependsOn[i]`, not `tasks[0].dependsOn[i]`. */ single?: boolean }): Promise<TaskRecord[]>;
  /** A pipeline and its steps as tasks, step N+1 depending on step N, in one transaction. */
  createPipeline(pipeline: NewPipeline, requester: string): Promise<{ pipelineId: string; tasks: TaskRecord[] }>;
  /** For each of the tasks that waits: the parents not done yet (why it waits). Tasks without any are absent. */
  unfinishedParents(taskIds: string[]): Promise<Map<string, WaitingParent[]>>;
  /** Newest first, with filters; `visibleTo` limits the list to an agent's own tasks (assigned to it or created by it). */
  listTasks(filter: TaskListFilter): Promise<TaskPage>;
  /**
   * One dispatch pass: walks queued tasks whose parents are done, in dispatch order (priority,
   * then age), asking `decide` for each; assigns those it places, skips those it answers null
   * for, and ends the pass at 'stop' (no agent can take more). Returns the number assigned.
   */
  assignQueued(decide: (task: QueuedTask) => AssignmentDecision | 'stop' | null, options: { maxScanned: number; pageSize: number }): Promise<number>;
  /** Moves up to `limit` tasks assigned to the agent to running, each under a new attempt (the lease). */
  claimAssigned(agentId: string, limit: number, instanceId?: string): Promise<ClaimedTask[]>;
  /** Records a new worker instance of the agent and releases the running attempts of the ones before it. */
  registerInstance(agentId: string, instanceId: string): Promise<RequeueEffect[]>;
  /** Gives an agent's open work back to the queue (stale attempts; claimed attempts were counted at claim). */
  releaseAgentWork(agentId: string, selection: ReleaseSelection): Promise<RequeueEffect[]>;
  /** The worker's load gate paused (reason) or resumed (null) its claiming. */
  setClaimingPaused(agentId: string, reason: string | null): Promise<void>;
  /**
   * Records results of attempts in one transaction, each report all-or-nothing on its own: a
   * refused report (stale lease, wrong agent, …) answers its AppError and changes nothing.
   */
  reportAttempts(principal: Principal, reports: AttemptReport[]): Promise<(ReportEffects | AppError)[]>;
  appendStream(
    principal: Principal,
    input: { taskId: string; attemptId: string; content: string; idempotencyKey: string | null },
  ): Promise<{ streamBytes: number; truncatedBefore: boolean }>;
  handOff(
    principal: Principal,
    input: { taskId: string; attemptId?: string; partialOutput: string; createdBy: string; idempotencyKey: string | null },
  ): Promise<{ taskId: string; status: string; continuationTaskId: string }>;
  /** Also cancels the task's waiting descendants, each naming it. */
  cancel(taskId: string): Promise<TaskRecord>;
  /** Refused while a parent of the task can never finish; re-arms the descendants its failure cancelled. */
  retry(taskId: string): Promise<TaskRecord>;
  requeueOrFail(taskId: string, options: RequeueOptions): Promise<RequeueEffect>;
  /** Logs one priced model call (cost row and cost_logged event); a task id that does not exist is refused. */
  recordUsage(agentId: string, taskId: string | null, usage: UsageRecord): Promise<CostEntry>;
  /** A heartbeat's progress marks: the listed tasks of the agent count as making progress. */
  markProgress(agentId: string, taskIds: string[]): Promise<void>;
  assignedTaskIds(agentId: string, limit: number): Promise<string[]>;
  /** Open tasks with no progress since the cutoff (zombie sweeper). */
  stalledTasks(cutoff: Date, limit: number): Promise<{ id: string; status: string }[]>;
  /**
   * Sets an agent online (registration, a heartbeat after an outage) or offline, with its history
   * row and events; offline also gives its assigned and running work back, in the same transaction.
   * Answers whether the presence changed.
   */
  setAgentPresence(agentId: string, presence: 'online' | 'offline', reason?: 'heartbeat_timeout' | 'deregistered'): Promise<boolean>;
  /** Reads every agent's capacity from the database, correcting stored loads that drifted. */
  loadCapacity(): Promise<AgentCapacity[]>;
  loadAgentCapacity(agentId: string): Promise<AgentCapacity | null>;
}
