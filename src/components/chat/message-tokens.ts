// Splits a message's text into plain text, web links, in-app task links, task references and
// status marks, for message-text.tsx to render (kept apart from React so it is unit-tested).
// A task reference is a task id the hub wrote ("task <id>", "task <id> (/tasks/<id>)" or the
// bare path /tasks/<id>): the page shows the task's title there, linking to it.
import { STATUS_GLYPHS, STATUS_GLYPH_SOURCE } from './status-glyphs';

export type MessageToken =
  | { kind: 'text'; value: string }
  | { kind: 'url'; value: string }
  | { kind: 'task_link'; value: string }
  /** `value` is the task id. */
  | { kind: 'task_ref'; value: string }
  | { kind: 'status'; value: string };

const URL_SOURCE = String.raw`https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]`;
// A task path counts only at a word start, so "a/tasks" in prose stays text.
const TASK_PATH_SOURCE = String.raw`(?<=^|[\s(])\/tasks(?:\/[A-Za-z0-9-]+)?(?=$|[\s).,;:!?])`;
/** A task id as the hub makes them (UUIDv7). */
const TASK_ID_SOURCE = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}`;
// "task <id>", optionally followed by its own link in brackets (which then adds nothing), or the path alone.
const TASK_REF_SOURCE = String.raw`\btask (${TASK_ID_SOURCE})(?: \((?:https?:\/\/[^\s()]+)?\/tasks\/\1\))?|(?<=^|[\s(])(?:https?:\/\/[^\s()]+)?\/tasks\/(${TASK_ID_SOURCE})(?=$|[\s).,;:!?])`;
const TOKEN_PATTERN = new RegExp(`${TASK_REF_SOURCE}|${URL_SOURCE}|${TASK_PATH_SOURCE}|${STATUS_GLYPH_SOURCE}`, 'gu');

export function tokenizeMessage(text: string): MessageToken[] {
  const tokens: MessageToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const value = match[0];
    const index = match.index ?? 0;
    if (index > last) tokens.push({ kind: 'text', value: text.slice(last, index) });
    const taskId = match[1] ?? match[2];
    if (taskId) tokens.push({ kind: 'task_ref', value: taskId });
    else tokens.push({ kind: STATUS_GLYPHS[value] ? 'status' : value.startsWith('/') ? 'task_link' : 'url', value });
    last = index + value.length;
  }
  if (last < text.length) tokens.push({ kind: 'text', value: text.slice(last) });
  return tokens;
}

/** The task ids a text refers to, for looking up their titles in one request. */
export function taskIdsIn(text: string): string[] {
  return tokenizeMessage(text)
    .filter((token) => token.kind === 'task_ref')
    .map((token) => token.value);
}
