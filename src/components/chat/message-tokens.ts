// Splits a message's text into plain text, web links, in-app task links and status marks, for
// message-text.tsx to render (kept apart from React so it is unit-tested).
import { STATUS_GLYPHS, STATUS_GLYPH_SOURCE } from './status-glyphs';

export type MessageToken =
  | { kind: 'text'; value: string }
  | { kind: 'url'; value: string }
  | { kind: 'task_link'; value: string }
  | { kind: 'status'; value: string };

const URL_SOURCE = String.raw`https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]`;
// A task path counts only at a word start, so "a/tasks" in prose stays text.
const TASK_PATH_SOURCE = String.raw`(?<=^|[\s(])\/tasks(?:\/[A-Za-z0-9-]+)?(?=$|[\s).,;:!?])`;
const TOKEN_PATTERN = new RegExp(`${URL_SOURCE}|${TASK_PATH_SOURCE}|${STATUS_GLYPH_SOURCE}`, 'gu');

export function tokenizeMessage(text: string): MessageToken[] {
  const tokens: MessageToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const value = match[0];
    const index = match.index ?? 0;
    if (index > last) tokens.push({ kind: 'text', value: text.slice(last, index) });
    tokens.push({ kind: STATUS_GLYPHS[value] ? 'status' : value.startsWith('/') ? 'task_link' : 'url', value });
    last = index + value.length;
  }
  if (last < text.length) tokens.push({ kind: 'text', value: text.slice(last) });
  return tokens;
}
