// The chat command language of spec section 07, shared by every door that takes text from the
// operator (the dashboard chat, later iMessage and voice): a pure parser, no I/O.
import { z } from 'zod';
import { AGENT_ID_PATTERN } from './ids';
import { DEFAULT_CHANNEL, channelSchema } from './messages';
import { boundedText } from './schemas';
import type { TaskStatus } from './tasks';

export type ChatCommand =
  | { kind: 'status' }
  | { kind: 'tasks' }
  | { kind: 'context_get' }
  | { kind: 'context_set'; key: string; value: string }
  | { kind: 'agent_message'; agentId: string; text: string }
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'pending' }
  | { kind: 'costs' }
  | { kind: 'escalations' }
  | { kind: 'do'; text: string }
  | { kind: 'auto'; goal: string }
  | { kind: 'summary' }
  | { kind: 'chat'; text: string }
  /** `# <text>`: a note for the people reading the chat; stored and broadcast, no command, no agent task. */
  | { kind: 'note' }
  /** A command word with its argument missing or malformed: the reply is its usage line. */
  | { kind: 'invalid'; command: 'context_set' | 'agent_message' | 'do' | 'auto'; usage: string };

export type ChatCommandKind = ChatCommand['kind'];

/**
 * Commands that are one word and take nothing after it (case-insensitive). A Map, not an object
 * literal: the word is the user's text, and `__proto__` or `constructor` must not find
 * Object.prototype's members.
 */
const BARE_COMMANDS: ReadonlyMap<string, ChatCommand> = new Map<string, ChatCommand>([
  ['status', { kind: 'status' }],
  ['tasks', { kind: 'tasks' }],
  ['@context', { kind: 'context_get' }],
  ['approve', { kind: 'approve' }],
  ['reject', { kind: 'reject' }],
  ['pending', { kind: 'pending' }],
  ['costs', { kind: 'costs' }],
  ['@costs', { kind: 'costs' }],
  ['escalations', { kind: 'escalations' }],
  ['summary', { kind: 'summary' }],
]);

/** A message starting with this is a note: it starts no agent task and gets no reply. */
export const CHAT_NOTE_PREFIX = '#';

export function isChatNote(content: string): boolean {
  return content.trimStart().startsWith(CHAT_NOTE_PREFIX);
}

export const CHAT_COMMAND_USAGE = {
  context_set: '@context key=value',
  agent_message: '@<agent> <text>',
  do: 'do <text>',
  auto: 'auto <goal>',
} as const;

/** The command list a help text or an empty chat shows, in the spec's order. */
export const CHAT_COMMAND_HELP: readonly { usage: string; description: string }[] = [
  { usage: 'status', description: 'agents online, busy and offline, with task counts' },
  { usage: 'tasks', description: 'the 10 most recent tasks' },
  { usage: '@context', description: 'the shared context' },
  { usage: '@context key=value', description: 'set a shared context entry' },
  { usage: '@<agent> <text>', description: 'send a task to that agent' },
  { usage: 'approve / reject', description: 'decide the most recent pending approval' },
  { usage: 'pending', description: 'pending approvals' },
  { usage: 'costs', description: "today's tokens and cost by agent" },
  { usage: 'escalations', description: 'open escalations' },
  { usage: 'do <text>', description: 'a task for the primary agent, with the shared context' },
  { usage: 'auto <goal>', description: 'split a goal into subtasks and dispatch them' },
  { usage: 'summary', description: 'summarise recent task results' },
  { usage: '# <text>', description: 'a note for the chat: starts no agent task' },
  { usage: 'anything else', description: 'chat with the primary agent' },
];

/** The same key rule as context.set, so `@context k=v` accepts exactly what the API does. */
const CONTEXT_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A word command followed by whitespace and its argument, e.g. `do <text>`; the argument keeps its line breaks. */
function argumentOf(text: string, word: string): string | null {
  const match = new RegExp(`^${word}(?:\\s+([\\s\\S]*))?$`, 'i').exec(text);
  if (!match) return null;
  return (match[1] ?? '').trim();
}

function parseContextSet(rest: string): ChatCommand {
  const equals = rest.indexOf('=');
  if (equals <= 0) return { kind: 'invalid', command: 'context_set', usage: CHAT_COMMAND_USAGE.context_set };
  const key = rest.slice(0, equals).trim();
  const value = rest.slice(equals + 1).trim();
  if (!CONTEXT_KEY_PATTERN.test(key)) return { kind: 'invalid', command: 'context_set', usage: CHAT_COMMAND_USAGE.context_set };
  return { kind: 'context_set', key, value };
}

/**
 * Parses one chat message. Keywords are case-insensitive and the text is trimmed; a keyword
 * must stand alone or be followed by whitespace, so `@contextual` or `statuses` are not
 * commands. Anything that is no command is free chat.
 */
export function parseChatCommand(input: string): ChatCommand {
  const text = input.trim();
  if (isChatNote(text)) return { kind: 'note' };
  const bare = BARE_COMMANDS.get(text.toLowerCase());
  if (bare) return bare;

  const contextRest = argumentOf(text, '@context');
  if (contextRest !== null) return parseContextSet(contextRest);

  // `@rex hello`, `@Rex: hello`, `@rex, hello`: the name is an agent id (lowercased).
  const mention = /^@([A-Za-z0-9-]{1,64})(?=$|[\s:,])[:,]?([\s\S]*)$/.exec(text);
  if (mention) {
    const agentId = mention[1]!.toLowerCase();
    const message = mention[2]!.trim();
    // `@context: k=v` and `@costs:` mean the commands, never agents with those names.
    if (agentId === 'context') return message ? parseContextSet(message) : { kind: 'context_get' };
    if (agentId === 'costs' && !message) return { kind: 'costs' };
    if (AGENT_ID_PATTERN.test(agentId)) {
      if (!message) return { kind: 'invalid', command: 'agent_message', usage: `@${agentId} <text>` };
      return { kind: 'agent_message', agentId, text: message };
    }
  }

  const doText = argumentOf(text, 'do');
  if (doText !== null) return doText ? { kind: 'do', text: doText } : { kind: 'invalid', command: 'do', usage: CHAT_COMMAND_USAGE.do };

  const goal = argumentOf(text, 'auto');
  if (goal !== null) return goal ? { kind: 'auto', goal } : { kind: 'invalid', command: 'auto', usage: CHAT_COMMAND_USAGE.auto };

  return { kind: 'chat', text };
}

/** The spec's "status icons" for task lists, one per status (the mesh CLI shows the same). */
export const TASK_STATUS_ICONS: Record<TaskStatus, string> = {
  queued: '⏳',
  assigned: '📌',
  running: '🔄',
  done: '✅',
  failed: '❌',
  cancelled: '🚫',
  suspended: '🔀',
};

export function taskStatusIcon(status: string): string {
  return Object.hasOwn(TASK_STATUS_ICONS, status) ? TASK_STATUS_ICONS[status as TaskStatus] : '❔';
}

/** chat.send: a message that is also read as a command. */
export const chatSendInput = z.object({
  content: boundedText('messageBytes').refine((content) => content.trim().length > 0, 'must not be empty'),
  channel: channelSchema.default(DEFAULT_CHANNEL),
});
export type ChatSendInput = z.infer<typeof chatSendInput>;
