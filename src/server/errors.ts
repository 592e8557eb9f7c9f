// Typed application errors thrown by services. One formatter (trpc.ts errorFormatter and the
// REST edges) turns them into tRPC/HTTP errors without leaking internals.
import type { LimitName } from '@/lib/limits';

export type AppErrorKind =
  | 'bad_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'limit_exceeded'
  | 'rate_limited'
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    readonly details: { field?: string; limit?: LimitName; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (field: string, message: string) => new AppError('bad_input', `${field}: ${message}`, { field });
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);

export const HTTP_STATUS_BY_KIND: Record<AppErrorKind, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 400,
  rate_limited: 429,
  unavailable: 503,
};

export const TRPC_CODE_BY_KIND = {
  bad_input: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  limit_exceeded: 'BAD_REQUEST',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<AppErrorKind, string>;
