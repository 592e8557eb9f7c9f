// Input schemas and constants of the tasks.* procedures (shared by every door and the worker).
import { z } from 'zod';
import { LIMITS } from './limits';
import { agentIdSchema, boundedText } from './schemas';
import { capabilitySchema } from './agents';
import { dependsOnSchema } from './task-dependencies';

export const TASK_STATUSES = ['queued', 'assigned', 'running', 'done', 'failed', 'cancelled', 'suspended'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['queued', 'assigned', 'running'];
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'cancelled', 'suspended'];

export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const MAX_PRIORITY = 100;
export const DEFAULT_PRIORITY = 50;
/** How much a handoff continuation or an urgency step raises priority. */
export const PRIORITY_BUMP = 10;

/** Spec section 13: a continuation's prompt starts with this. */
export const CONTINUATION_PREFIX = "CONTINUE FROM PREVIOUS AGENT'S PARTIAL WORK:";

const taskId = z.string().min(1).max(64);
const attemptId = z.string().min(1).max(64);

export const tasksCreateInput = z.object({
  title: z.string().min(1).max(LIMITS.labelLength),
  prompt: boundedText('promptBytes').refine((prompt) => prompt.trim().length > 0, 'must not be empty'),
  priority: z.number().int().min(0).max(MAX_PRIORITY).default(DEFAULT_PRIORITY),
  requiredCapability: capabilitySchema.optional(),
  /** Preferred agent: used when it has a free slot and a closed breaker, else dispatch falls through. */
  assignTo: agentIdSchema.optional(),
  deadline: z.iso.datetime({ offset: true }).optional(),
  model: z.string().min(1).max(128).optional(),
  /**
   * Makes a create safe to resend: a second create with the same id from the same caller
   * creates nothing and answers the first task.
   */
  clientRequestId: z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must match [A-Za-z0-9._:-]{8,128}').optional(),
  /** Parents (task ids; in tasks.createMany also indexes in the call): it waits, queued, until all are done. */
  dependsOn: dependsOnSchema.optional(),
});

/** How many tasks one tasks.createMany call may create, and results one tasks.reportMany may carry. */
export const MAX_TASKS_PER_BATCH = 500;

export const tasksCreateManyInput = z.object({
  tasks: z.array(tasksCreateInput).min(1).max(MAX_TASKS_PER_BATCH),
});

export const TASK_SORT_FIELDS = ['createdAt', 'updatedAt', 'priority', 'title', 'status', 'assignedTo'] as const;
export type TaskSortField = (typeof TASK_SORT_FIELDS)[number];

/** How deep offset paging may go; past it, narrow the filters (or page by cursor, newest first). */
export const MAX_TASK_LIST_OFFSET = 100_000;

export const tasksListInput = z
  .object({
    /** One status, or any of several (the board's "failed / cancelled" column asks for both). */
    status: z.union([z.enum(TASK_STATUSES), z.array(z.enum(TASK_STATUSES)).min(1).max(TASK_STATUSES.length)]).optional(),
    /** Only these tasks (the chat looks up the titles of the tasks its messages name). */
    ids: z.array(taskId).max(LIMITS.listRows).optional(),
    agentId: agentIdSchema.optional(),
    capability: capabilitySchema.optional(),
    text: z.string().min(1).max(200).optional(),
    /** A time window, ISO instants: from `since` (inclusive) to `until` (exclusive), over `timeField`. */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** updatedAt (default): the last change, which for an ended task is when it ended; createdAt: when it was made. */
    timeField: z.enum(['createdAt', 'updatedAt']).default('updatedAt'),
    sort: z.enum(TASK_SORT_FIELDS).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    /** Newest-first keyset paging: the previous page's nextCursor. Only with sort createdAt, order desc. */
    cursor: taskId.optional(),
    /** Offset paging, for any sort (a list view's page N). */
    offset: z.number().int().min(0).max(MAX_TASK_LIST_OFFSET).default(0),
    limit: z.number().int().min(1).max(LIMITS.listRows).default(50),
    /** Also answer `total`, the number of matching tasks. */
    withTotal: z.boolean().default(false),
  })
  .superRefine((input, context) => {
    if (input.cursor !== undefined && (input.sort !== 'createdAt' || input.order !== 'desc')) {
      context.addIssue({ code: 'custom', path: ['cursor'], message: 'only with sort createdAt and order desc; use offset for other orders' });
    }
    if (input.since !== undefined && input.until !== undefined && Date.parse(input.since) >= Date.parse(input.until)) {
      context.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
    }
  })
  .default({ limit: 50, offset: 0, sort: 'createdAt', order: 'desc', timeField: 'updatedAt', withTotal: false });

export const tasksGetInput = z.object({ taskId });
export const tasksCancelInput = z.object({ taskId });
export const tasksRetryInput = z.object({ taskId });
export const tasksDuplicateInput = z.object({ taskId });
export const tasksChunksInput = z.object({
  taskId,
  afterChunkId: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(LIMITS.listRows).default(200),
});

export const tasksClaimInput = z.object({
  /** An agent token claims for its own agent; others name the agent. */
  agentId: agentIdSchema.optional(),
  limit: z.number().int().min(1).max(64).default(8),
  /** The claiming worker process; a claim from an instance that a newer registration replaced is refused (409). */
  instanceId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must match [A-Za-z0-9_-]{8,64}').optional(),
  /** Long poll: when nothing is assigned yet, wait up to this long for work (ms, ≤ 30,000) instead of answering at once. */
  waitMs: z.number().int().min(0).max(LIMITS.claimWaitMs).default(0),
});

export const usageSchema = z.object({
  model: z.string().min(1).max(128),
  inputTokens: z.number().int().min(0).max(100_000_000),
  outputTokens: z.number().int().min(0).max(100_000_000),
  /** The worker's own figure, kept only for models missing from the hub's price table. */
  costUsd: z.number().min(0).max(100_000).optional(),
});

export const tasksReportInput = z.object({
  taskId,
  /** The lease: required from agents, optional for an operator overriding a result. */
  attemptId: attemptId.optional(),
  status: z.enum(['done', 'failed']),
  /** Past the 1 MB cap the output is cut and says so. */
  output: z.string().max(LIMITS.taskOutputBytes * 4).optional(),
  error: z.string().max(4_000).optional(),
  usage: usageSchema.optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** A resent report with the same key changes nothing and gets the first answer. */
  idempotencyKey: z.string().min(8).max(128).optional(),
});

export const tasksReportManyInput = z.object({
  reports: z.array(tasksReportInput).min(1).max(MAX_TASKS_PER_BATCH),
  /**
   * An agent token may take its next work in the same call: after the reports commit and the
   * dispatch pass they trigger, up to this many tasks assigned to the agent are claimed and
   * returned (as tasks.claim would), saving the worker a round trip per batch.
   */
  claimNext: z.number().int().min(0).max(64).default(0),
});

export const tasksStreamInput = z.object({
  taskId,
  attemptId,
  content: boundedText('streamChunkBytes'),
  /** A resent chunk with the same key is not appended twice. */
  idempotencyKey: z.string().min(8).max(128).optional(),
});

export const tasksHandoffInput = z.object({
  taskId,
  attemptId: attemptId.optional(),
  partialOutput: boundedText('handoffPartialOutputBytes').default(''),
  reason: z.string().max(500).optional(),
  /** A resent handoff with the same key creates no second continuation and gets the first answer. */
  idempotencyKey: z.string().min(8).max(128).optional(),
});
