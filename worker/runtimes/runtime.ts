// The one interface every model runtime implements (claude-cli, anthropic, openai, command),
// plus the error it throws, the timeout/cancel watcher the runtimes share, and the token
// estimate for runtimes whose tool prints no usage.
import { findModelPrice, priceUsage } from '../../src/lib/prices';

export interface RuntimeTask {
  taskId: string;
  prompt: string;
  /** The task's model; null or absent means the runtime's default (or the tool's own). */
  model?: string | null;
  /**
   * A continued conversation (the [TOOL_CALL] loop, worker/tool-loop.ts): the turns so far, the
   * prompt first and a user turn last. Runtimes marked `conversational` send it as their API's
   * messages; the others get the transcript as `prompt` instead and never see this field.
   */
  conversation?: ConversationTurn[];
}

export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface RuntimeUsage {
  /** The model that ran, or `estimate:<runtime>` when the counts are estimated (see estimateUsage). */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Only when the runtime can price the call itself; the hub prices models it knows anyway. */
  costUsd?: number;
}

export interface RuntimeResult {
  output: string;
  /** Every runtime reports it: counted by the model's API or CLI, else estimated (estimateUsage). */
  usage?: RuntimeUsage;
}

export interface RunOptions {
  /**
   * Partial output as it arrives, in order; the concatenation equals the final output, except
   * for claude-cli in JSON mode, which streams each assistant message and reports the final result.
   */
  onChunk: (text: string) => void;
  /** Cancel: the runtime stops its work and throws RuntimeError 'aborted'. */
  signal: AbortSignal;
  /** Whole-run limit; the runtime stops its work and throws RuntimeError 'timeout'. 0 or Infinity: none. */
  timeoutMs: number;
}

export type RuntimeName = 'claude-cli' | 'anthropic' | 'openai' | 'command';

export interface Runtime {
  readonly name: RuntimeName;
  /** Takes `conversation` (a chat API); without it a continuation is re-run with the transcript as its prompt. */
  readonly conversational?: boolean;
  run(task: RuntimeTask, options: RunOptions): Promise<RuntimeResult>;
  /**
   * Why this runtime cannot run any task on this machine (its program is missing, no API key),
   * in one line, or null. The worker asks once at start and refuses to join instead of claiming
   * tasks that would all fail.
   */
  startupProblem(): Promise<string | null>;
}

export type RuntimeFailureReason = 'timeout' | 'aborted' | 'failed';

/**
 * Every runtime failure. Messages name the runtime and what went wrong, never the prompt or a
 * key: the worker reports them to the hub, where operators and dashboards see them.
 */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly reason: RuntimeFailureReason,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export type StopReason = 'timeout' | 'aborted';

export interface RunLimits {
  /** Aborts when the run must stop, for HTTP clients (fetch, the SDK) to pass on. */
  readonly signal: AbortSignal;
  /** Why the run was stopped, or null while it may go on. */
  readonly stopReason: StopReason | null;
  /** Clears the timer and the listener; call when the run settles. */
  dispose(): void;
}

// setTimeout fires at once for delays above 2^31-1 ms; such a limit means "none" in practice.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Watches the caller's signal and the timeout, whichever comes first. `onStop` runs once, at
 * the moment of the stop (a process runtime kills its process group there). A signal that is
 * already aborted stops the run at once, before any work starts.
 */
export function watchRunLimits(options: Pick<RunOptions, 'signal' | 'timeoutMs'>, onStop?: (reason: StopReason) => void): RunLimits {
  const controller = new AbortController();
  let stopReason: StopReason | null = null;
  let timer: NodeJS.Timeout | undefined;

  const stop = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    dispose();
    controller.abort(new RuntimeError(reason === 'timeout' ? 'timed out' : 'cancelled', reason));
    onStop?.(reason);
  };
  const onAbort = () => stop('aborted');
  const dispose = () => {
    if (timer) clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  };

  if (options.signal.aborted) {
    stop('aborted');
  } else {
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    }
  }

  return {
    signal: controller.signal,
    get stopReason() {
      return stopReason;
    },
    dispose,
  };
}

/** The error a runtime throws once its run was stopped, naming the limit that stopped it. */
export function stoppedError(runtime: RuntimeName, reason: StopReason, timeoutMs: number): RuntimeError {
  return reason === 'timeout'
    ? new RuntimeError(`${runtime} runtime: timed out after ${timeoutMs} ms`, 'timeout')
    : new RuntimeError(`${runtime} runtime: cancelled`, 'aborted');
}

/**
 * Removes a secret from text that came from elsewhere (a server's error body, a library's
 * message) before it goes into an error. Short values are left alone: replacing them would
 * garble the message and they are not credentials.
 */
export function redactSecret(text: string, secret: string | null | undefined): string {
  if (!secret || secret.length < 8) return text;
  return text.split(secret).join('[redacted]');
}

/** The model name of an estimated usage: `estimate:claude-cli`, `estimate:command`. */
export const ESTIMATE_MODEL_PREFIX = 'estimate:';

/** About four characters a token, for English text and code alike; a rough figure, marked as one. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN_ESTIMATE);
}

export function isEstimatedUsage(usage: Pick<RuntimeUsage, 'model'>): boolean {
  return usage.model.startsWith(ESTIMATE_MODEL_PREFIX);
}

/**
 * Usage for a run whose tool printed no token counts: the prompt's length for input, the output's
 * for output, under the model name `estimate:<runtime>`. The hub's price table does not know that
 * name, so it keeps the worker's cost figure: priced from the table when the task named a model
 * the table knows, else 0 (unknown, not free).
 */
export function estimateUsage(runtime: RuntimeName, prompt: string, output: string, model?: string | null): RuntimeUsage {
  const tokens = { inputTokens: estimateTokens(prompt), outputTokens: estimateTokens(output) };
  const costUsd = model && findModelPrice(model) ? priceUsage({ model, ...tokens }).costUsd : 0;
  return { model: `${ESTIMATE_MODEL_PREFIX}${runtime}`, ...tokens, costUsd };
}
