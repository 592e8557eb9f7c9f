// Turns anything a command throws into the one line the CLI prints and its exit code: usage
// mistakes (2), the hub's answers mapped from tRPC errors, unreachable hubs, timeouts (1).
import { TRPCClientError } from '@trpc/client';
import { causeChain, isTimeout, unreachableReason } from '../../src/lib/connection-errors';
import { UsageError } from './args';

/** A command's own failure (a failed task, a degraded hub): the message is printed as is. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface DescribedError {
  message: string;
  exitCode: number;
}

export interface ErrorContext {
  /** The hub URL as shown to the user (no credentials). */
  hubUrl: string;
  /** Removed from any message, in case a hub or library echoes it. */
  token?: string;
  requestTimeoutSeconds?: number;
}

/** Every error the CLI can meet, as the single line printed after `mesh: `. */
export function describeError(error: unknown, context: ErrorContext): DescribedError {
  const described = describe(error, context);
  return { ...described, message: redact(oneLine(described.message), context.token) };
}

function describe(error: unknown, context: ErrorContext): DescribedError {
  if (error instanceof UsageError) {
    const hint = error.message.includes('(see:') ? '' : ' (see: npm run mesh -- help)';
    return { message: `${error.message}${hint}`, exitCode: EXIT_USAGE };
  }
  if (error instanceof CommandFailure) return { message: error.message, exitCode: error.exitCode };

  const unreachable = unreachableReason(error);
  if (unreachable) return { message: `cannot reach the hub at ${context.hubUrl} (${unreachable})`, exitCode: EXIT_FAILURE };
  if (isTimeout(error)) {
    const within = context.requestTimeoutSeconds ? ` within ${context.requestTimeoutSeconds} s` : '';
    return { message: `the hub at ${context.hubUrl} did not answer${within}`, exitCode: EXIT_FAILURE };
  }

  const status = httpStatusOf(error);
  const hubMessage = hubMessageOf(error);
  if (status === 401) return { message: `the hub refused the token (401): ${hubMessage ?? 'unauthorized'}`, exitCode: EXIT_FAILURE };
  if (status === 403) return { message: `permission denied (403): ${hubMessage ?? 'forbidden'}`, exitCode: EXIT_FAILURE };
  if (status === 429) return { message: `the hub is rate-limiting this client (429): ${hubMessage ?? 'too many requests'}`, exitCode: EXIT_FAILURE };
  if (hubMessage) return { message: status && status >= 500 ? `the hub failed (${status}): ${hubMessage}` : hubMessage, exitCode: EXIT_FAILURE };
  if (error instanceof TRPCClientError) {
    // An answer that is not tRPC's JSON: something else (a proxy, another app) is at that URL.
    const httpStatus = status ? ` (HTTP ${status})` : '';
    return { message: `${context.hubUrl} did not answer as an m3shd hub${httpStatus}`, exitCode: EXIT_FAILURE };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${message}`, exitCode: EXIT_FAILURE };
}

/** 401 and 403 do not heal by retrying: callers that reconnect stop on them. */
export function isAuthError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 401 || status === 403;
}

export function isUnreachable(error: unknown): boolean {
  return unreachableReason(error) !== null || isTimeout(error);
}

export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: unknown } | null | undefined;
    if (typeof data?.httpStatus === 'number') return data.httpStatus;
    const response = (error.meta as { response?: { status?: unknown } } | undefined)?.response;
    if (typeof response?.status === 'number') return response.status;
  }
  // The SSE client reports a refused stream as an error event carrying the HTTP status.
  for (const cause of causeChain(error)) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'number' && code >= 400 && code < 600) return code;
  }
  return undefined;
}

function hubMessageOf(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { message?: unknown } | null | undefined;
  if (typeof data?.message === 'string' && data.message.length > 0) return data.message;
  return error.shape ? error.message : undefined;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Real tokens are long; a short value would blank out innocent text (and is not a secret worth it). */
function redact(text: string, token: string | undefined): string {
  return token && token.length >= 8 ? text.split(token).join('***') : text;
}
