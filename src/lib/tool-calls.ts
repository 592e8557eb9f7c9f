// The [TOOL_CALL] text protocol (spec 17), shared by the worker (which finds calls in a model's
// output) and anything else that reads or writes it. A call is one JSON object between markers:
//   [TOOL_CALL] {"tool": "web_search", "query": "StoreKit 2 pricing"} [/TOOL_CALL]
// Every key but "tool" is an argument. Model output is untrusted text: the parser never throws,
// refuses oversized blocks without parsing them, takes the innermost block when markers nest,
// and stops after a fixed number of calls. Tool results go back to the model in [TOOL_RESULT]
// blocks, with any markers inside them defused so a search result cannot smuggle in a call.
import { LIMITS, utf8Bytes } from './limits';

export const TOOL_CALL_OPEN = '[TOOL_CALL]';
export const TOOL_CALL_CLOSE = '[/TOOL_CALL]';
export const TOOL_RESULT_CLOSE = '[/TOOL_RESULT]';

/** Tool names: what a plugin may register and a call may name. */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Calls taken from one model answer; later ones are ignored (and said to be). */
export const MAX_TOOL_CALLS_PER_ANSWER = 5;

export type ParsedToolCall =
  | { ok: true; tool: string; args: Record<string, unknown> }
  | { ok: false; error: string };

export interface ToolCallScan {
  calls: ParsedToolCall[];
  /** More blocks were present than MAX_TOOL_CALLS_PER_ANSWER. */
  skipped: number;
}

function parseBlock(body: string): ParsedToolCall {
  // Characters never outnumber UTF-8 bytes: a long block is refused before it is measured or parsed.
  if (body.length > LIMITS.toolCallBlockBytes || utf8Bytes(body) > LIMITS.toolCallBlockBytes) {
    return { ok: false, error: `the tool call is larger than ${LIMITS.toolCallBlockBytes / 1024} KB` };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, error: 'the tool call is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'the tool call must be a JSON object' };
  const { tool, ...args } = value as Record<string, unknown>;
  if (typeof tool !== 'string') return { ok: false, error: 'the tool call needs a "tool" name' };
  if (!TOOL_NAME_PATTERN.test(tool)) return { ok: false, error: 'the tool name must match [a-z][a-z0-9_]{0,63}' };
  return { ok: true, tool, args };
}

/**
 * Finds the tool calls in a model's output, in order. A block runs from the last opening marker
 * before a closing marker to that closing marker, so nested or repeated openings yield the
 * innermost block; an unclosed opening or a stray closing marker is plain text. Forward scans
 * only, so hostile text (thousands of markers) stays linear.
 */
export function parseToolCalls(text: string, maxCalls = MAX_TOOL_CALLS_PER_ANSWER): ToolCallScan {
  const calls: ParsedToolCall[] = [];
  let skipped = 0;
  let from = 0;
  for (;;) {
    let open = text.indexOf(TOOL_CALL_OPEN, from);
    if (open === -1) break;
    const close = text.indexOf(TOOL_CALL_CLOSE, open + TOOL_CALL_OPEN.length);
    if (close === -1) break;
    for (let next = text.indexOf(TOOL_CALL_OPEN, open + TOOL_CALL_OPEN.length); next !== -1 && next < close; next = text.indexOf(TOOL_CALL_OPEN, next + TOOL_CALL_OPEN.length)) {
      open = next;
    }
    if (calls.length < maxCalls) calls.push(parseBlock(text.slice(open + TOOL_CALL_OPEN.length, close).trim()));
    else skipped += 1;
    from = close + TOOL_CALL_CLOSE.length;
  }
  return { calls, skipped };
}

/** Whether the text contains at least one closed tool call block (cheap check before parsing). */
export function hasToolCall(text: string): boolean {
  const open = text.indexOf(TOOL_CALL_OPEN);
  return open !== -1 && text.indexOf(TOOL_CALL_CLOSE, open + TOOL_CALL_OPEN.length) !== -1;
}

/** Breaks the protocol's markers inside text that goes back to the model (a tool's answer). */
export function defuseMarkers(text: string): string {
  return text.replace(/\[(\/?)(TOOL_CALL|TOOL_RESULT)\b/gi, '($1$2');
}

export interface ToolCallOutcome {
  /** The tool's name, or null when the call could not be parsed. */
  tool: string | null;
  ok: boolean;
  /** The tool's answer, or why the call failed. */
  text: string;
}

/** The next user turn: each call's outcome in a [TOOL_RESULT] block, in call order. */
export function formatToolResults(outcomes: ToolCallOutcome[], note?: string): string {
  const blocks = outcomes.map((outcome) => {
    const label = outcome.tool ? ` tool="${outcome.tool}"` : '';
    return `[TOOL_RESULT${label} ${outcome.ok ? 'ok' : 'error'}]\n${defuseMarkers(outcome.text)}\n${TOOL_RESULT_CLOSE}`;
  });
  return [...blocks, ...(note ? [note] : [])].join('\n\n');
}
