// The chat's command interface (spec section 07): a message from the operator is stored, read
// as one of the 14 commands, run for the caller with the caller's permissions, and answered as
// a system message on the same channel. `do`, free chat and `@agent` become tasks whose answers
// come back to the chat later (ChatAnswerRelay); `auto` and `summary` use the model gateway.
import { z } from 'zod';
import { parseChatCommand, taskStatusIcon, type ChatCommand, type ChatCommandKind, type ChatSendInput } from '@/lib/chat-commands';
import { LIMITS, describeLimit, truncateToBytes, utf8Bytes } from '@/lib/limits';
import type { Permission } from '@/lib/permissions';
import { OPEN_TASK_STATUSES, tasksCreateInput } from '@/lib/tasks';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { hasPermission, type Principal } from '../auth/principal';
import { MODEL_NOT_CONFIGURED, ModelGatewayError, type ModelGateway } from '../llm/gateway';
import type { AgentService } from './agent-service';
import type { ApprovalService } from './approval-service';
import { ChatAnswerRelay } from './chat-answer-relay';
import type { ContextService } from './context-service';
import type { CostService } from './cost-service';
import type { EscalationService } from './escalation-service';
import type { MessageService, MessageView } from './message-service';
import type { TaskService } from './tasks/task-service';
import type { HubLogger } from '../logging/logger';

export interface ChatServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: Pick<HubConfig, 'primaryAgent' | 'publicUrl'>;
  messages: MessageService;
  context: ContextService;
  tasks: TaskService;
  approvals: ApprovalService;
  escalations: EscalationService;
  costs: CostService;
  agents: AgentService;
  llm: ModelGateway;
  logger?: HubLogger;
}

export interface ChatSendResult {
  /** The caller's message, as stored. */
  message: MessageView;
  /** The hub's answer (a system message on the same channel); null for a note, which gets none. */
  reply: MessageView | null;
  /**
   * The task whose output will be posted to the channel as the real answer (`do`, free chat,
   * `@agent`), so a client can wait for it (`mesh chat`); null when the reply is the answer.
   */
  answerTaskId: string | null;
}

/** What each command does needs this permission (the nearest ones of src/lib/permissions.ts). */
export const CHAT_COMMAND_PERMISSIONS: Record<ChatCommandKind, Permission | null> = {
  status: 'agents:read',
  tasks: 'tasks:read',
  context_get: 'messages:read',
  context_set: 'messages:write',
  agent_message: 'tasks:write',
  approve: 'tasks:write',
  reject: 'tasks:write',
  pending: 'tasks:read',
  costs: 'tasks:read',
  escalations: 'tasks:read',
  do: 'tasks:write',
  auto: 'tasks:write',
  summary: 'tasks:read',
  chat: 'tasks:write',
  note: null,
  invalid: null,
};

const RECENT_TASKS = 10;
const SUMMARY_TASKS = 10;
const SUMMARY_OUTPUT_BYTES = 3_000;
const CHAT_HISTORY_MESSAGES = 12;
const HISTORY_LINE_BYTES = 600;
const CONTEXT_VALUE_CHARS = 300;
const TITLE_CHARS = 80;
/** The spec's range for `auto`: a goal worth splitting has at least two parts, and at most five are dispatched. */
const AUTO_MIN_SUBTASKS = 2;
const AUTO_MAX_SUBTASKS = 5;

const DECOMPOSE_SYSTEM = [
  'You plan work for a mesh of AI agents.',
  `Split the operator's goal into ${AUTO_MIN_SUBTASKS} to ${AUTO_MAX_SUBTASKS} concrete subtasks that different agents can work on in parallel:`,
  `never fewer than ${AUTO_MIN_SUBTASKS}, never more than ${AUTO_MAX_SUBTASKS}.`,
  `Answer with JSON only, no prose: an array of ${AUTO_MIN_SUBTASKS} to ${AUTO_MAX_SUBTASKS} objects, each with "title" (at most 80 characters) and`,
  '"prompt" (complete, self-contained instructions for the agent that does it).',
].join(' ');

const SUMMARY_SYSTEM = [
  'You brief the operator of a mesh of AI agents on what the agents finished recently.',
  'Summarise the results below in a few short bullet points: what was done and anything that needs attention.',
  'Plain text, no preamble.',
].join(' ');

const subtaskSchema = z.object({
  title: z.string().trim().min(1),
  prompt: z.string().trim().min(1).optional(),
  description: z.string().trim().min(1).optional(),
});

function firstLine(text: string, maxChars = TITLE_CHARS): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1).trimEnd()}…` : line;
}

function clip(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

function formatUsd(value: number): string {
  return `$${value.toFixed(value > 0 && value < 1 ? 4 : 2)}`;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

function minutesUntil(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((new Date(iso).getTime() - now.getTime()) / 60_000));
  return minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
}

const AGENT_STATUS_ICONS: ReadonlyMap<string, string> = new Map([
  ['online', '🟢'],
  ['busy', '🟠'],
  ['offline', '🔴'],
]);

/** Reads the model's subtask list: a JSON array (or {subtasks: [...]}) anywhere in its answer. */
export function parseSubtasks(text: string): { title: string; prompt: string }[] {
  const start = text.search(/[[{]/);
  if (start < 0) return [];
  const end = Math.max(text.lastIndexOf(']'), text.lastIndexOf('}'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { subtasks?: unknown })?.subtasks;
  if (!Array.isArray(list)) return [];
  const subtasks: { title: string; prompt: string }[] = [];
  for (const item of list) {
    const result = subtaskSchema.safeParse(item);
    if (!result.success) continue;
    subtasks.push({ title: result.data.title, prompt: result.data.prompt ?? result.data.description ?? result.data.title });
  }
  return subtasks;
}

export class ChatService {
  private readonly relay: ChatAnswerRelay;
  /** The asking message → the task that will answer it, for send()'s result. */
  private readonly answerTasks = new WeakMap<MessageView, string>();

  constructor(private readonly deps: ChatServiceDeps) {
    this.relay = new ChatAnswerRelay({ db: deps.db, events: deps.events, messages: deps.messages, logger: deps.logger });
  }

  /** chat.send: stores the caller's message, runs it as a command, posts and returns the answer. */
  async send(principal: Principal, input: ChatSendInput): Promise<ChatSendResult> {
    const message = await this.deps.messages.send(principal, { content: input.content, channel: input.channel });
    const command = parseChatCommand(input.content);
    // A note is only conversation between people: stored and broadcast like any message, nothing run.
    if (command.kind === 'note') return { message, reply: null, answerTaskId: null };
    const answer = await this.run(principal, command, message);
    const reply = await this.deps.messages.postSystem(message.channel, fitMessage(answer));
    return { message, reply, answerTaskId: this.answerTasks.get(message) ?? null };
  }

  /** Answers awaited from agents (tests, stats). */
  get awaitingAnswers(): number {
    return this.relay.awaiting;
  }

  async close(): Promise<void> {
    await this.relay.close();
  }

  /** Runs one parsed command; every outcome, refusals and failures included, is an answer text. */
  async run(principal: Principal, command: ChatCommand, asked: MessageView): Promise<string> {
    const needed = CHAT_COMMAND_PERMISSIONS[command.kind];
    if (needed && !hasPermission(principal, needed)) return `Refused: missing permission ${needed}.`;
    try {
      return await this.execute(principal, command, asked);
    } catch (error) {
      if (error instanceof AppError || error instanceof ModelGatewayError) return error.message;
      this.deps.logger?.warn(`chat: ${command.kind} failed: ${error instanceof Error ? error.message : String(error)}`);
      return `The ${command.kind} command failed with an internal error.`;
    }
  }

  private execute(principal: Principal, command: ChatCommand, asked: MessageView): Promise<string> {
    switch (command.kind) {
      case 'status':
        return this.status();
      case 'tasks':
        return this.recentTasks(principal);
      case 'context_get':
        return this.listContext();
      case 'context_set':
        return this.setContext(principal, command.key, command.value);
      case 'agent_message':
        return this.messageAgent(principal, command.agentId, command.text, asked);
      case 'approve':
      case 'reject':
        return this.decideLatest(principal, command.kind);
      case 'pending':
        return this.pendingApprovals(principal);
      case 'costs':
        return this.costsToday(principal);
      case 'escalations':
        return this.openEscalations(principal);
      case 'do':
        return this.askPrimary(principal, command.text, asked, 'do');
      case 'chat':
        return this.askPrimary(principal, command.text, asked, 'chat');
      case 'auto':
        return this.autonomous(principal, command.goal);
      case 'summary':
        return this.summary();
      case 'invalid':
        return Promise.resolve(`Usage: ${command.usage}`);
      case 'note':
        return Promise.resolve('Noted.');
    }
  }

  private link(path: string): string {
    return `${this.deps.config.publicUrl ?? ''}${path}`;
  }

  private async status(): Promise<string> {
    const agents = await this.deps.agents.list();
    const count = (status: string) => agents.filter((agent) => agent.status === status).length;
    const open = await this.deps.db.task.groupBy({ by: ['status'], where: { status: { in: [...OPEN_TASK_STATUSES] } }, _count: { _all: true } });
    const openCount = (status: string) => open.find((group) => group.status === status)?._count._all ?? 0;
    const lines = [`Agents: ${count('online')} online · ${count('busy')} busy · ${count('offline')} offline`];
    if (agents.length === 0) lines.push('No agent has joined the mesh yet.');
    for (const agent of agents) {
      const slots = agent.maxConcurrent === 0 ? 'takes no tasks' : `${agent.activeTasks}/${agent.maxConcurrent} tasks`;
      lines.push(`${AGENT_STATUS_ICONS.get(agent.status) ?? '⚪'} ${agent.id} — ${agent.status}${agent.status === 'offline' ? '' : `, ${slots}`}`);
    }
    lines.push(`Active tasks: ${openCount('running')} running · ${openCount('assigned')} assigned · ${openCount('queued')} queued`);
    return lines.join('\n');
  }

  private async recentTasks(principal: Principal): Promise<string> {
    const { tasks } = await this.deps.tasks.list(principal, { limit: RECENT_TASKS });
    if (tasks.length === 0) return 'No tasks yet.';
    const lines = [tasks.length === 1 ? 'The most recent task:' : `The ${tasks.length} most recent tasks:`];
    for (const task of tasks) lines.push(`${taskStatusIcon(task.status)} ${clip(task.title, TITLE_CHARS)} · ${task.assignedTo ?? 'unassigned'} · ${task.status}`);
    lines.push(`All tasks: ${this.link('/tasks')}`);
    return lines.join('\n');
  }

  private async listContext(): Promise<string> {
    const entries = await this.deps.context.list();
    if (entries.length === 0) return 'The shared context is empty. Set an entry with @context key=value.';
    return ['Shared context:', ...entries.map((entry) => `${entry.key} = ${clip(entry.value, CONTEXT_VALUE_CHARS)}`)].join('\n');
  }

  private async setContext(principal: Principal, key: string, value: string): Promise<string> {
    if (utf8Bytes(value) > LIMITS.messageBytes) return `The value exceeds the ${describeLimit('messageBytes')} limit (messageBytes).`;
    const entry = await this.deps.context.set(principal, key, value);
    return `Context set: ${entry.key} = ${clip(entry.value, CONTEXT_VALUE_CHARS)}`;
  }

  /** Validates like tasks.create (defaults, the 8 KB prompt limit) and creates the task. */
  private async createTask(principal: Principal, input: z.input<typeof tasksCreateInput>): Promise<{ id: string } | { refused: string }> {
    const parsed = tasksCreateInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { refused: `Not sent: ${issue.path.join('.') || 'task'} ${issue.message}.` };
    }
    return this.deps.tasks.create(principal, parsed.data);
  }

  /** A task whose answer is relayed back to the chat it was asked in. */
  private async relayedTask(
    principal: Principal,
    input: z.input<typeof tasksCreateInput> & { assignTo: string },
    asked: MessageView,
  ): Promise<{ id: string } | { refused: string }> {
    let refused = 'Not sent.';
    const id = await this.relay.relay(
      async () => {
        const created = await this.createTask(principal, input);
        if ('id' in created) return created.id;
        refused = created.refused;
        return null;
      },
      { channel: asked.channel, replyTo: asked.id, agentId: input.assignTo },
    );
    if (id === null) return { refused };
    this.answerTasks.set(asked, id);
    return { id };
  }

  private async messageAgent(principal: Principal, agentId: string, text: string, asked: MessageView): Promise<string> {
    const agent = await this.deps.db.agent.findUnique({ where: { id: agentId }, select: { id: true, status: true } });
    if (!agent) {
      const known = await this.deps.db.agent.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 20 });
      return `No agent named ${agentId}.${known.length ? ` Agents: ${known.map((row) => row.id).join(', ')}.` : ' No agent has joined the mesh yet.'}`;
    }
    const created = await this.relayedTask(principal, { title: firstLine(text), prompt: text, assignTo: agentId }, asked);
    if ('refused' in created) return created.refused;
    const note = agent.status === 'offline' ? ` ${agentId} is offline: the task goes to the next free agent, or waits in the queue.` : '';
    return `Sent to ${agentId} as task ${created.id} (${this.link(`/tasks/${created.id}`)}); the answer will be posted here.${note}`;
  }

  private async decideLatest(principal: Principal, decision: 'approve' | 'reject'): Promise<string> {
    const now = this.deps.clock.now();
    const pending = (await this.deps.approvals.list(principal, { status: 'pending' })).filter((approval) => new Date(approval.expiresAt) > now);
    const latest = pending[0];
    if (!latest) return 'No pending approvals.';
    const decided = decision === 'approve' ? await this.deps.approvals.approve(principal, latest.id) : await this.deps.approvals.reject(principal, latest.id);
    const verb = decided.status === 'approved' ? 'Approved' : 'Rejected';
    const more = pending.length > 1 ? ` ${pending.length - 1} more pending.` : '';
    return `${verb}: ${decided.action} (requested by ${decided.agentId}).${more}`;
  }

  private async pendingApprovals(principal: Principal): Promise<string> {
    const now = this.deps.clock.now();
    const pending = (await this.deps.approvals.list(principal, { status: 'pending' })).filter((approval) => new Date(approval.expiresAt) > now);
    if (pending.length === 0) return 'No pending approvals.';
    const lines = [`${pending.length} pending approval${pending.length === 1 ? '' : 's'} (newest first):`];
    for (const approval of pending) {
      const description = approval.description ? ` — ${clip(approval.description, 200)}` : '';
      lines.push(`⏳ ${approval.agentId}: ${approval.action}${description} (expires in ${minutesUntil(approval.expiresAt, now)})`);
    }
    lines.push('Answer approve or reject to decide the newest.');
    return lines.join('\n');
  }

  private async costsToday(principal: Principal): Promise<string> {
    const summary = await this.deps.costs.summaryFor(principal, { days: 1 });
    if (summary.byAgent.length === 0) return 'No model usage logged today (UTC).';
    const tokens = summary.byAgent.reduce((sum, agent) => sum + agent.inputTokens + agent.outputTokens, 0);
    const lines = [`Today (UTC): ${formatUsd(summary.todayCostUsd)} · ${formatCount(tokens)} tokens`];
    for (const agent of summary.byAgent) {
      const agentTokens = agent.inputTokens + agent.outputTokens;
      lines.push(`${agent.agentId} — ${formatUsd(agent.todayCostUsd)} · ${formatCount(agentTokens)} tokens (${formatCount(agent.inputTokens)} in / ${formatCount(agent.outputTokens)} out)`);
    }
    return lines.join('\n');
  }

  private async openEscalations(principal: Principal): Promise<string> {
    const open = await this.deps.escalations.list(principal, { status: 'open' });
    if (open.length === 0) return 'No open escalations.';
    const lines = [`${open.length} open escalation${open.length === 1 ? '' : 's'}:`];
    for (const escalation of open) {
      const task = escalation.taskId ? ` (task ${escalation.taskId})` : '';
      lines.push(`⚠️ ${escalation.fromAgent} → ${escalation.toAgent}: ${clip(escalation.reason, 300)}${task}`);
    }
    return lines.join('\n');
  }

  /** `do` and free chat: a task for the primary agent, its answer posted back as its message. */
  private async askPrimary(principal: Principal, text: string, asked: MessageView, mode: 'do' | 'chat'): Promise<string> {
    const agentId = this.deps.config.primaryAgent;
    if (utf8Bytes(text) > LIMITS.promptBytes) return `Not sent: the text exceeds the ${describeLimit('promptBytes')} prompt limit (promptBytes).`;
    const prompt = mode === 'do' ? await this.promptWithContext(text) : await this.promptWithConversation(text, asked);
    const title = mode === 'do' ? firstLine(text) : `chat: ${firstLine(text)}`;
    const created = await this.relayedTask(principal, { title, prompt, assignTo: agentId }, asked);
    if ('refused' in created) return created.refused;
    const agent = await this.deps.db.agent.findUnique({ where: { id: agentId }, select: { status: true } });
    const note = !agent
      ? ` ${agentId} has not joined the mesh, so the first free agent will answer (MESH_PRIMARY_AGENT names the primary agent).`
      : agent.status === 'offline'
        ? ` ${agentId} is offline: the next free agent answers, or the task waits in the queue.`
        : '';
    return `Asked ${agentId} (task ${created.id}); the answer will be posted here.${note}`;
  }

  /** `do` runs "with full context": the shared context follows the instruction, as far as the prompt limit allows. */
  private async promptWithContext(text: string): Promise<string> {
    const entries = await this.deps.context.list();
    if (entries.length === 0) return text;
    let prompt = `${text}\n\nShared context of the mesh:`;
    for (const entry of entries) {
      const line = `\n- ${entry.key} = ${clip(entry.value, 1_000)}`;
      if (utf8Bytes(prompt + line) > LIMITS.promptBytes) break;
      prompt += line;
    }
    return prompt;
  }

  /** Free chat is a conversation: the channel's recent messages come first, oldest dropped first to fit. */
  private async promptWithConversation(text: string, asked: MessageView): Promise<string> {
    const { messages } = await this.deps.messages.list({ channel: asked.channel, cursor: asked.id, limit: CHAT_HISTORY_MESSAGES });
    const question = `${asked.sender}: ${text}`;
    const history = messages
      .reverse()
      .map((message) => `${message.sender}: ${truncateToBytes(message.content.trim(), HISTORY_LINE_BYTES)}`);
    while (history.length > 0) {
      const prompt = `Recent conversation in the mesh chat (#${asked.channel}):\n${history.join('\n')}\n\nAnswer the last message:\n${question}`;
      if (utf8Bytes(prompt) <= LIMITS.promptBytes) return prompt;
      history.shift();
    }
    return utf8Bytes(question) <= LIMITS.promptBytes ? question : text;
  }

  private async autonomous(principal: Principal, goal: string): Promise<string> {
    if (!this.deps.llm.configured) return `auto needs a model. ${MODEL_NOT_CONFIGURED}`;
    const completion = await this.deps.llm.complete({ system: DECOMPOSE_SYSTEM, prompt: `Goal: ${goal}`, maxTokens: 2_000 });
    const parsed = parseSubtasks(completion.text);
    if (parsed.length === 0) return `The model did not return a subtask list, so nothing was dispatched. It said: ${clip(completion.text, 300)}`;
    if (parsed.length < AUTO_MIN_SUBTASKS) {
      return `The model split the goal into only ${parsed.length} subtask, and auto needs ${AUTO_MIN_SUBTASKS} to ${AUTO_MAX_SUBTASKS}, so nothing was dispatched. Rephrase the goal, or send it as a single task with "do <text>".`;
    }
    const subtasks = parsed.slice(0, AUTO_MAX_SUBTASKS);
    const goalNote = `\n\nThis is part of the goal: ${clip(goal, 1_000)}`;
    const extra = parsed.length > subtasks.length ? ` (the model proposed ${parsed.length}; auto dispatches at most ${AUTO_MAX_SUBTASKS})` : '';
    const lines = [`Split "${clip(goal, 120)}" into ${subtasks.length} tasks${extra}:`];
    for (const [index, subtask] of subtasks.entries()) {
      const prompt = truncateToBytes(subtask.prompt, LIMITS.promptBytes - utf8Bytes(goalNote)) + goalNote;
      const created = await this.createTask(principal, { title: clip(subtask.title, LIMITS.labelLength), prompt });
      lines.push('refused' in created ? `${index + 1}. ${clip(subtask.title, TITLE_CHARS)} — ${created.refused}` : `${index + 1}. ${clip(subtask.title, TITLE_CHARS)} — ${created.id}`);
    }
    lines.push(`Track them at ${this.link('/tasks')}`);
    return lines.join('\n');
  }

  private async summary(): Promise<string> {
    if (!this.deps.llm.configured) return `summary needs a model. ${MODEL_NOT_CONFIGURED}`;
    const done = await this.deps.db.task.findMany({
      where: { status: 'done' },
      orderBy: [{ completedAt: 'desc' }, { id: 'desc' }],
      take: SUMMARY_TASKS,
      select: { id: true, title: true, assignedTo: true, output: true },
    });
    if (done.length === 0) return 'No finished tasks to summarise yet.';
    const sections = done.map(
      (task) => `## ${task.title} (by ${task.assignedTo ?? 'unknown'})\n${truncateToBytes(task.output?.trim() || '(no output)', SUMMARY_OUTPUT_BYTES)}`,
    );
    const completion = await this.deps.llm.complete({ system: SUMMARY_SYSTEM, prompt: `Recently finished tasks:\n\n${sections.join('\n\n')}`, maxTokens: 1_000 });
    return `Summary of the last ${done.length} finished task${done.length === 1 ? '' : 's'}:\n${completion.text.trim()}`;
  }
}

const REPLY_TRUNCATION_NOTE = '\n[cut at the chat’s 50 KB limit]';

function fitMessage(text: string): string {
  if (utf8Bytes(text) <= LIMITS.messageBytes) return text;
  return truncateToBytes(text, LIMITS.messageBytes - utf8Bytes(REPLY_TRUNCATION_NOTE)) + REPLY_TRUNCATION_NOTE;
}
