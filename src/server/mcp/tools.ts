// The 17 MCP tools (spec: "MCP Server (17 tools)"), defined once for both doors: stdio on the
// operator's machine and Streamable HTTP on the hub. Each names the procedures it calls, takes the
// input schema of its procedure from src/lib, and shapes the answer as short JSON a model can read.
// Permissions, validation and behaviour are the procedures' own.
import { z } from 'zod';
import { approvalsDecideInput, approvalsListInput } from '../../lib/approvals';
import { CHAT_COMMAND_HELP, chatSendInput } from '../../lib/chat-commands';
import { contextGetInput, contextSetInput } from '../../lib/context';
import { LIMITS, truncateToBytes, utf8Bytes } from '../../lib/limits';
import { memorySearchInput } from '../../lib/memory';
import { messagesListInput } from '../../lib/messages';
import type { Permission } from '../../lib/permissions';
import { pipelinesCreateInput } from '../../lib/task-graph';
import { OPEN_TASK_STATUSES, tasksCancelInput, tasksCreateInput, tasksGetInput, tasksListInput } from '../../lib/tasks';
import { templatesDispatchInput } from '../../lib/templates';
import { describeWaitReason } from '../../lib/wait-reasons';
import type { MeshProcedures } from './procedures';
import { WAIT_DEFAULT_SECONDS, WAIT_MAX_SECONDS, waitForTaskEnd } from './task-wait';
import { parseToolInput, procedureErrorCode } from './tool-errors';

/** A procedure of appRouter, by path (`tasks.create`). */
export type ProcedurePath = {
  [Router in keyof MeshProcedures]: `${Router & string}.${keyof MeshProcedures[Router] & string}`;
}[keyof MeshProcedures];

export interface ToolContext {
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** Tells the client the call is still under way (a no-op when it asked for no progress). */
  progress(message: string, done: number, total: number): Promise<void>;
}

export interface MeshTool {
  name: string;
  /** For the model: what it does, when to use it, what it answers. */
  description: string;
  /** The procedure's input schema (or the tool's, built from it); shown to clients as JSON Schema. */
  inputSchema: z.ZodType;
  /** What the tool needs: a permission, or any token (mesh_status adapts to what it may read). */
  permission: Permission | 'any';
  /** The procedures it calls (a unit test checks `permission` against their declared ones). */
  procedures: readonly ProcedurePath[];
  readOnly: boolean;
  destructive?: boolean;
  call(procedures: MeshProcedures, args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** How much of a task's output an answer carries; the whole output stays on the hub. */
export const TASK_OUTPUT_SHOWN_BYTES = 32 * 1024;

const NO_INPUT = z.object({}).strict();

const waitForTaskInput = tasksGetInput.extend({
  timeoutSeconds: z.number().int().min(1).max(WAIT_MAX_SECONDS).default(WAIT_DEFAULT_SECONDS),
});
const decideApprovalInput = approvalsDecideInput.extend({ decision: z.enum(['approve', 'reject']) });
/** Without a key: every entry. */
const getContextInput = contextGetInput.partial();

type TaskDetail = Awaited<ReturnType<MeshProcedures['tasks']['get']>>;

function shownText(text: string | null, maxBytes: number, what: string): string | null {
  if (text === null || utf8Bytes(text) <= maxBytes) return text;
  const total = Math.ceil(utf8Bytes(text) / 1024);
  return `${truncateToBytes(text, maxBytes)}\n[${what} cut to ${maxBytes / 1024} KB of ${total} KB in this answer; the dashboard shows all of it]`;
}

function taskForModel(task: TaskDetail, options: { withPrompt: boolean }) {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    assignedTo: task.assignedTo,
    priority: task.priority,
    urgency: task.urgency,
    requiredCapability: task.requiredCapability,
    model: task.model,
    attempts: task.attempts,
    createdBy: task.createdBy,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    completedAt: task.completedAt,
    deadline: task.deadline,
    ...(task.waitReason ? { waitingBecause: describeWaitReason(task.waitReason) } : {}),
    ...(task.continuesTaskId ? { continuesTaskId: task.continuesTaskId } : {}),
    confidence: task.confidence,
    costUsd: Number(task.costs.reduce((sum, cost) => sum + cost.costUsd, 0).toFixed(6)),
    ...(options.withPrompt ? { prompt: task.prompt } : {}),
    error: task.error,
    output: shownText(task.output, TASK_OUTPUT_SHOWN_BYTES, 'output'),
  };
}

/** A section of mesh_status the token may not read becomes a note naming the missing permission. */
async function section<T, R>(call: Promise<T>, shape: (value: T) => R): Promise<R | string> {
  try {
    return shape(await call);
  } catch (error) {
    if (procedureErrorCode(error) !== 'FORBIDDEN') throw error;
    return `not shown: ${error instanceof Error ? error.message : 'forbidden'}`;
  }
}

const chatCommands = CHAT_COMMAND_HELP.map((command) => `"${command.usage}" (${command.description})`).join('; ');

export const MESH_TOOLS: readonly MeshTool[] = [
  {
    name: 'mesh_status',
    description:
      'Overview of the m3shd mesh: who this token is and its permissions, agents online/busy/offline with free slots, open tasks by status (queued, assigned, running) and today\'s cost (UTC day). Call it first to see whether agents can take work. Sections this token may not read say which permission is missing.',
    inputSchema: NO_INPUT,
    permission: 'any',
    procedures: ['account.me', 'agents.list', 'tasks.list', 'costs.summary'],
    readOnly: true,
    async call(procedures, args) {
      parseToolInput(NO_INPUT, args);
      const me = await procedures.account.me();
      const [agents, tasks, cost] = await Promise.all([
        section(procedures.agents.list(), (list) => ({
          online: list.filter((agent) => agent.status === 'online').length,
          busy: list.filter((agent) => agent.status === 'busy').length,
          offline: list.filter((agent) => agent.status === 'offline').length,
          freeSlots: list.filter((agent) => agent.status !== 'offline').reduce((sum, agent) => sum + Math.max(0, agent.maxConcurrent - agent.activeTasks), 0),
        })),
        section(
          Promise.all(OPEN_TASK_STATUSES.map(async (status) => [status, (await procedures.tasks.list({ status, limit: 1, withTotal: true })).total ?? 0] as const)),
          (counts) => Object.fromEntries(counts),
        ),
        section(procedures.costs.summary({ days: 1 }), (summary) => ({ todayUsd: summary.todayCostUsd, ...(summary.agentId ? { onlyAgent: summary.agentId } : {}) })),
      ]);
      return { caller: { kind: me.kind, name: me.name, permissions: me.permissions }, agents, openTasks: tasks, cost };
    },
  },
  {
    name: 'list_agents',
    description:
      'Lists the mesh\'s agents (AI workers): id, status (online, busy, offline), busy slots of their maximum, capabilities, circuit breaker state, when last seen, and the tasks each holds. Use an agent id as create_task\'s assignTo, or a capability as its requiredCapability.',
    inputSchema: NO_INPUT,
    permission: 'agents:read',
    procedures: ['agents.list'],
    readOnly: true,
    async call(procedures, args) {
      parseToolInput(NO_INPUT, args);
      const agents = await procedures.agents.list();
      return agents.map((agent) => ({
        id: agent.id,
        name: agent.name,
        machine: agent.machine,
        status: agent.status,
        slots: `${agent.activeTasks}/${agent.maxConcurrent}`,
        capabilities: agent.capabilities,
        breaker: agent.breaker.state,
        ...(agent.claimingPaused ? { claimingPaused: agent.claimingPaused } : {}),
        lastHeartbeatAt: agent.lastHeartbeatAt,
        currentTasks: agent.currentTasks,
      }));
    },
  },
  {
    name: 'create_task',
    description:
      'Delegates work to the mesh: creates a task with a title and a prompt (up to 8 KB); the hub assigns it to a capable free agent. Optional: priority 0-100 (default 50), requiredCapability, assignTo (a preferred agent id), deadline (ISO time), model, dependsOn (task ids it must wait for), clientRequestId (makes a resend safe). Answers the new task\'s id and status; then call wait_for_task with that id to get the result.',
    inputSchema: tasksCreateInput,
    permission: 'tasks:write',
    procedures: ['tasks.create'],
    readOnly: false,
    call: (procedures, args) => procedures.tasks.create(args),
  },
  {
    name: 'get_task',
    description:
      'One task in full: status, agent, timestamps, attempts, cost, why it waits (when it has not started), its prompt, error and output (the first 32 KB). Use it to check on a task without waiting.',
    inputSchema: tasksGetInput,
    permission: 'tasks:read',
    procedures: ['tasks.get'],
    readOnly: true,
    async call(procedures, args) {
      return taskForModel(await procedures.tasks.get(args), { withPrompt: true });
    },
  },
  {
    name: 'list_tasks',
    description:
      'Lists tasks, newest first by default: filter by status (one or several of queued, assigned, running, done, failed, cancelled, suspended), agentId, capability, text in the title, or a time window (since/until); page with limit (default 50, at most 500) and cursor or offset. Answers summaries (id, title, status, agent, priority, times); get_task gives one in full.',
    inputSchema: tasksListInput,
    permission: 'tasks:read',
    procedures: ['tasks.list'],
    readOnly: true,
    call: (procedures, args) => procedures.tasks.list(args),
  },
  {
    name: 'wait_for_task',
    description: `Blocks until a task ends (done, failed or cancelled) or timeoutSeconds pass (default ${WAIT_DEFAULT_SECONDS}, at most ${WAIT_MAX_SECONDS}), then answers its status, error and output. A task handed off to another agent is followed to its continuation. On timeout it answers ended: false with the current status: call it again to keep waiting. Use after create_task, dispatch_template or create_pipeline (wait for the last step).`,
    inputSchema: waitForTaskInput,
    permission: 'tasks:read',
    procedures: ['tasks.get', 'tasks.list'],
    readOnly: true,
    async call(procedures, args, context) {
      const input = parseToolInput(waitForTaskInput, args);
      const timeoutMs = input.timeoutSeconds * 1000;
      const outcome = await waitForTaskEnd(procedures, {
        taskId: input.taskId,
        timeoutMs,
        signal: context.signal,
        onPending: (task, elapsedMs) => context.progress(`task ${task.id} is ${task.status}${task.assignedTo ? ` on ${task.assignedTo}` : ''}`, Math.round(elapsedMs / 1000), input.timeoutSeconds),
      });
      return {
        ended: outcome.ended,
        ...(outcome.followedFrom ? { handedOffFrom: outcome.followedFrom } : {}),
        ...(outcome.ended ? {} : { note: `still ${outcome.task.status} after ${input.timeoutSeconds} s; call wait_for_task again to keep waiting` }),
        task: taskForModel(outcome.task, { withPrompt: false }),
      };
    },
  },
  {
    name: 'cancel_task',
    description: 'Cancels a task that has not ended (its agent is told to stop). Answers the task\'s new status. Ended tasks cannot be cancelled.',
    inputSchema: tasksCancelInput,
    permission: 'tasks:write',
    procedures: ['tasks.cancel'],
    readOnly: false,
    destructive: true,
    call: (procedures, args) => procedures.tasks.cancel(args),
  },
  {
    name: 'create_pipeline',
    description:
      'Creates a pipeline: 2 to 20 steps run in order, each an ordinary task that starts when the step before it is done and sees that step\'s output in its prompt. Each step has a title and a prompt (and optionally priority, requiredCapability, assignTo, deadline, model). Answers the pipeline id and the step task ids; wait_for_task on the last id waits for the whole pipeline.',
    inputSchema: pipelinesCreateInput,
    permission: 'tasks:write',
    procedures: ['pipelines.create'],
    readOnly: false,
    call: (procedures, args) => procedures.pipelines.create(args),
  },
  {
    name: 'list_templates',
    description: 'Lists task templates: id, name, description, the prompt with its {variable} placeholders, the variable names, capability and priority. Dispatch one with dispatch_template.',
    inputSchema: NO_INPUT,
    permission: 'tasks:read',
    procedures: ['templates.list'],
    readOnly: true,
    async call(procedures, args) {
      parseToolInput(NO_INPUT, args);
      return procedures.templates.list();
    },
  },
  {
    name: 'dispatch_template',
    description:
      'Creates a task from a template: templateId, variables (an object giving every {variable} the template names, e.g. {"topic": "tides"}), and optionally a title and priority. Answers the created task; then call wait_for_task with its id.',
    inputSchema: templatesDispatchInput,
    permission: 'tasks:write',
    procedures: ['templates.dispatch'],
    readOnly: false,
    async call(procedures, args) {
      const { task, template } = await procedures.templates.dispatch(args);
      return { task, template: { id: template.id, name: template.name } };
    },
  },
  {
    name: 'send_chat',
    description: `Posts to the mesh chat as this token, and runs it as a chat command as the dashboard does: ${chatCommands}. Answers the hub's reply; when an agent answers later, answerTaskId names its task (wait_for_task on it, then read_chat).`,
    inputSchema: chatSendInput,
    permission: 'messages:write',
    procedures: ['chat.send'],
    readOnly: false,
    async call(procedures, args) {
      const result = await procedures.chat.send(args);
      return {
        messageId: result.message.id,
        channel: result.message.channel,
        reply: result.reply ? shownText(result.reply.content, TASK_OUTPUT_SHOWN_BYTES, 'reply') : null,
        answerTaskId: result.answerTaskId,
      };
    },
  },
  {
    name: 'read_chat',
    description: 'Reads the mesh chat, newest first: channel (default "general"), limit (default 50, at most 500), cursor (nextCursor of the previous page, for older messages). Each message has its sender, sender type (user, agent, system), time and text.',
    inputSchema: messagesListInput,
    permission: 'messages:read',
    procedures: ['messages.list'],
    readOnly: true,
    async call(procedures, args) {
      const page = await procedures.messages.list(args);
      return {
        messages: page.messages.map((message) => ({ id: message.id, ts: message.ts, sender: message.sender, senderType: message.senderType, content: message.content, ...(message.replyTo ? { replyTo: message.replyTo } : {}) })),
        nextCursor: page.nextCursor,
      };
    },
  },
  {
    name: 'get_context',
    description: 'Reads the mesh\'s shared context (key-value facts every agent can be given): one entry by key, or every entry when no key is given.',
    inputSchema: getContextInput,
    permission: 'messages:read',
    procedures: ['context.get', 'context.list'],
    readOnly: true,
    async call(procedures, args) {
      const input = parseToolInput(getContextInput, args);
      return input.key === undefined ? procedures.context.list() : procedures.context.get(args);
    },
  },
  {
    name: 'set_context',
    description: 'Sets one shared context entry (key: letters, digits and . _ : -, up to 128 characters; value: text up to 50 KB), replacing any earlier value. Agents see shared context with "do" tasks.',
    inputSchema: contextSetInput,
    permission: 'messages:write',
    procedures: ['context.set'],
    readOnly: false,
    call: (procedures, args) => procedures.context.set(args),
  },
  {
    name: 'list_approvals',
    description: 'Lists approval requests agents raised before acting (id, agent, action, description, status, expiry); filter by status: pending, approved, rejected or expired. Decide one with decide_approval.',
    inputSchema: approvalsListInput,
    permission: 'tasks:read',
    procedures: ['approvals.list'],
    readOnly: true,
    call: (procedures, args) => procedures.approvals.list(args),
  },
  {
    name: 'decide_approval',
    description: 'Approves or rejects a pending approval request: approvalId and decision ("approve" or "reject"). The agent that asked is told at once. Answers the approval with its new status.',
    inputSchema: decideApprovalInput,
    permission: 'tasks:write',
    procedures: ['approvals.approve', 'approvals.reject'],
    readOnly: false,
    async call(procedures, args) {
      const { decision, approvalId } = parseToolInput(decideApprovalInput, args);
      return decision === 'approve' ? procedures.approvals.approve({ approvalId }) : procedures.approvals.reject({ approvalId });
    },
  },
  {
    name: 'search_memory',
    description: 'Full-text search of agent memory (facts agents and operators stored): query (whole words), optionally agentId (an agent token searches its own agent\'s memory), limit (default 10, at most 100). Answers the best matches with agent, key, value and score.',
    inputSchema: memorySearchInput,
    permission: 'memory:read',
    procedures: ['memory.search'],
    readOnly: true,
    call: (procedures, args) => procedures.memory.search(args),
  },
];

/** The tools' input schemas as JSON Schema for tools/list (made once). */
export function toolInputJsonSchema(tool: MeshTool): { type: 'object'; [key: string]: unknown } {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.inputSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, type: 'object' };
}

/** Renders a tool's answer as the text a model reads: JSON, cut at LIMITS.mcpResultBytes. */
export function resultText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (utf8Bytes(text) <= LIMITS.mcpResultBytes) return text;
  return `${truncateToBytes(text, LIMITS.mcpResultBytes)}\n[answer cut at ${LIMITS.mcpResultBytes / 1024} KB: ask for fewer rows (limit) or a narrower filter]`;
}
