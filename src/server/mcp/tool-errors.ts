// How a failed MCP tool call reads: one line with the hub's error code and message, the same
// message a tRPC client gets (field and limit named). Each door says how to read its own errors
// (a TRPCClientError over HTTP, a TRPCError from the in-process caller); the tools' own argument
// checks and the shared parts live here.
import type { z } from 'zod';

export interface ToolFailure {
  /** tRPC's code name: BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHORIZED, ... */
  code: string;
  message: string;
}

/** Turns whatever a procedure threw into a failure a model can act on; never a stack or a path. */
export type DescribeError = (error: unknown) => ToolFailure;

/** An argument of the tool itself (not of the procedure it calls) is wrong. */
export class ToolInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ToolInputError';
  }
}

/**
 * Parses the tool's own arguments; the first problem is reported as `field: message`, the shape
 * the tRPC edge gives (src/server/trpc.ts).
 */
export function parseToolInput<Schema extends z.ZodType>(schema: Schema, args: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ToolInputError(issue.path.map(String).join('.') || 'arguments', issue.message);
}

/** The tRPC code of a procedure's error from either door (client: `data.code`; caller: `code`). */
export function procedureErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const data = (error as { data?: { code?: unknown } }).data;
  if (typeof data?.code === 'string') return data.code;
  const code = (error as { code?: unknown }).code;
  return error.name === 'TRPCError' && typeof code === 'string' ? code : undefined;
}

/** What every door says about the tools' own argument errors, before its own reading. */
export function describeToolError(error: unknown, describeProcedureError: DescribeError): ToolFailure {
  if (error instanceof ToolInputError) return { code: 'BAD_REQUEST', message: error.message };
  return describeProcedureError(error);
}

export function failureText(failure: ToolFailure): string {
  return `${failure.code}: ${failure.message}`;
}
