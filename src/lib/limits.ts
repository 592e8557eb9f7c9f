// Size and count limits, one place. Over a limit: a clear error naming the limit, and
// nothing written.

export const LIMITS = {
  messageBytes: 50 * 1024,
  promptBytes: 8 * 1024,
  handoffPartialOutputBytes: 32 * 1024,
  streamChunkBytes: 64 * 1024,
  taskOutputBytes: 1024 * 1024,
  taskStreamLogBytes: 4 * 1024 * 1024,
  listRows: 500,
  sseQueueEvents: 500,
  usernameLength: 64,
  passwordMinLength: 12,
  passwordMaxLength: 256,
  labelLength: 200,
  requestBodyBytes: 2 * 1024 * 1024,
  /** The public demo: the page and its data calls, per client IP. */
  demoRequestsPerMinute: 30,
  /** Calls in one batched tRPC request (`?batch=1`); over it the whole request is refused (400). */
  trpcBatchCalls: 50,
  /** Password verifications (PBKDF2) outside a login, e.g. account.changePassword, per principal per minute. */
  passwordChecksPerMinute: 5,
  /** Open events.stream subscriptions per principal; opening one more closes the oldest. */
  eventStreamsPerPrincipal: 10,
  /** One agent memory value (memory.store). */
  memoryValueBytes: 8 * 1024,
  /** A memory.search query; longer text is refused, anything shorter is searched, never an error. */
  memoryQueryBytes: 32 * 1024,
  /** How long one long-poll claim (tasks.claim's waitMs) may wait for work. */
  claimWaitMs: 30_000,
  /** The block of memories placed ahead of a claimed prompt. */
  memoryInjectBytes: 4 * 1024,
  /** plugins.invoke: a tool call's arguments as JSON, and the text a tool answers with. */
  toolArgsBytes: 16 * 1024,
  toolResultBytes: 16 * 1024,
  /** One [TOOL_CALL] block in a model's output; a longer one is refused unparsed. */
  toolCallBlockBytes: 16 * 1024,
  /** One MCP tool answer (Claude Code shows about 25k tokens of a tool result); longer ones are cut, with a note. */
  mcpResultBytes: 48 * 1024,
} as const;

export type LimitName = keyof typeof LIMITS;

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

export function describeLimit(name: LimitName): string {
  const value = LIMITS[name];
  if (name.endsWith('Bytes')) return value >= 1024 * 1024 ? `${value / (1024 * 1024)} MB` : `${value / 1024} KB`;
  return String(value);
}

/** Cuts text to a UTF-8 byte budget without splitting a character. */
export function truncateToBytes(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= maxBytes) return text;
  return new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
}

export const OUTPUT_TRUNCATION_NOTE = '\n\n[output truncated at the hub’s 1 MB limit]';

/** A task's final output within LIMITS.taskOutputBytes; past it, cut and marked (hub and worker alike). */
export function capTaskOutput(output: string): string {
  if (utf8Bytes(output) <= LIMITS.taskOutputBytes) return output;
  return truncateToBytes(output, LIMITS.taskOutputBytes - utf8Bytes(OUTPUT_TRUNCATION_NOTE)) + OUTPUT_TRUNCATION_NOTE;
}
