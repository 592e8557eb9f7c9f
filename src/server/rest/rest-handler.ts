// Serves REST_ROUTES: matches the method and path, builds the procedure's input from path
// parameters plus the JSON body (or, for GET and DELETE, the query string, coerced to the types
// the procedure's own schema expects), and calls the procedure through the app router's caller
// with the same context a tRPC request gets. Errors go through the router's one error
// formatter and come out as `{ error: { code, message, field?, limit? } }` with the tRPC code's
// HTTP status.
//
// Why not trpc-to-openapi's HTTP adapter: it rewrites the procedures' shared zod schemas in place
// to coerce query strings (so tRPC itself would start accepting "5" for numbers and "false" as
// true for booleans), answers errors in its own shape, and wants `.output()` on procedures —
// which would strip any field an output schema forgets from the dashboard's tRPC answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import { LIMITS } from '@/lib/limits';
import { AppError, TRPC_CODE_BY_KIND } from '../errors';
import type { EventStreamLimit } from '../events/stream-limit';
import type { Hub } from '../hub';
import { clientGoneSignal, readJsonBody, sendJson } from '../http/json-response';
import { createTrpcContext } from '../http/trpc-context';
import { appRouter } from '../routers';
import { createCallerFactory, type Context, type ErrorData } from '../trpc';
import { procedureInputSchema, queryToInput } from './query-input';
import { REST_ROUTES, type RestRoute } from './routes';

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  paramNames: string[];
}

/** What the handler tells the request log: the route template (never the raw path) and who called. */
export interface RestOutcome {
  route: string;
}

const createCaller = createCallerFactory(appRouter);
const BODY_METHODS = new Set(['POST', 'PUT']);

function compile(route: RestRoute): CompiledRoute {
  const paramNames: string[] = [];
  const segments = route.path.split('/').map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    if (!param) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
    paramNames.push(param[1]!);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${segments.join('/')}$`), paramNames };
}

export type RestHandler = (request: IncomingMessage, response: ServerResponse, pathname: string) => Promise<RestOutcome | null>;

// Literal paths first (/api/tasks/claim before /api/tasks/{id}).
const COMPILED_ROUTES = REST_ROUTES.map(compile).sort((a, b) => a.paramNames.length - b.paramNames.length);

/** The route template a path belongs to (for metrics and logs: never the raw path), or null. */
export function restRouteTemplate(pathname: string): string | null {
  return COMPILED_ROUTES.find((candidate) => candidate.pattern.test(pathname))?.route.path ?? null;
}

export function createRestHandler(hub: Hub, streams: EventStreamLimit, log: (line: string) => void): RestHandler {
  return async function handleRest(request, response, pathname) {
    const matching = COMPILED_ROUTES.filter((candidate) => candidate.pattern.test(pathname));
    if (matching.length === 0) return null;
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    const found = matching.find((candidate) => candidate.route.method === method);
    if (!found) {
      const allowed = [...new Set(matching.map((candidate) => candidate.route.method))].join(', ');
      sendJson(response, 405, { error: { code: 'METHOD_NOT_SUPPORTED', message: `${method} is not allowed here; use ${allowed}` } }, { Allow: allowed });
      return { route: matching[0]!.route.path };
    }
    const { route } = found;
    let procedure = route.procedure ?? route.variants![0]!.procedure;
    let input: unknown;
    let ctx: Context | undefined;
    try {
      const params = pathParams(found, pathname);
      if (BODY_METHODS.has(method)) {
        const body = await readBody(request);
        if (route.variants) procedure = chooseVariant(route, body);
        input = { ...body, ...params };
      } else {
        const query = queryToInput(new URL(request.url ?? '/', 'http://hub').searchParams, procedureInputSchema(procedure));
        input = Object.keys(query).length + Object.keys(params).length > 0 ? { ...query, ...params } : undefined;
      }
      ctx = await createTrpcContext(hub, request, streams);
      const call = procedure.split('.').reduce<any>((node, key) => node[key], createCaller(ctx, { signal: clientGoneSignal(response) }));
      const data = await call(input);
      sendJson(response, route.status ?? 200, data ?? null);
    } catch (cause) {
      sendRestError(response, cause, { procedure, input, ctx, log });
    }
    return { route: route.path };
  };
}

function pathParams(found: CompiledRoute, pathname: string): Record<string, string> {
  const values = found.pattern.exec(pathname)!.slice(1);
  const params: Record<string, string> = {};
  found.paramNames.forEach((name, index) => {
    let value: string;
    try {
      value = decodeURIComponent(values[index]!);
    } catch {
      throw new AppError('bad_input', `${name}: malformed %-escape in the path`, { field: name });
    }
    params[found.route.params?.[name] ?? name] = value;
  });
  return params;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const contentType = request.headers['content-type'];
  if (contentType && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `body: send JSON with Content-Type: application/json (got ${contentType.split(';')[0]})` });
  }
  const body = await readJsonBody(request, LIMITS.requestBodyBytes);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_input', 'body: must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
}

function chooseVariant(route: RestRoute, body: Record<string, unknown>): string {
  for (const variant of route.variants!) {
    const value = body[variant.when.field];
    if (variant.when.value === undefined ? value !== undefined : value === variant.when.value) return variant.procedure;
  }
  const fields = [...new Set(route.variants!.map((variant) => variant.when.field))];
  const values = route.variants!.map((variant) => variant.when.value).filter(Boolean);
  const message = values.length > 0 ? `${fields[0]}: must be one of ${values.join(', ')}` : `body: must contain ${fields.join(' or ')}`;
  throw new AppError('bad_input', message, { field: values.length > 0 ? fields[0] : 'body' });
}

interface ErrorContext {
  procedure: string;
  input: unknown;
  ctx: Context | undefined;
  log: (line: string) => void;
}

/** The router's error formatter (as the tRPC edge answers), reshaped as REST's `{ error }`. */
function sendRestError(response: ServerResponse, cause: unknown, context: ErrorContext): void {
  const error =
    cause instanceof AppError ? new TRPCError({ code: TRPC_CODE_BY_KIND[cause.kind], message: cause.message, cause }) : getTRPCErrorFromUnknown(cause);
  if (error.code === 'INTERNAL_SERVER_ERROR') context.log(`internal error in REST ${context.procedure} (${error.cause?.name ?? 'Error'})`);
  const shape = getErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: context.procedure, input: context.input, ctx: context.ctx });
  const data = shape.data as ErrorData;
  // A body too large is 413 here (the tRPC edge says 400 with the same message and limit).
  const status = cause instanceof AppError && cause.kind === 'limit_exceeded' && cause.details.field === 'body' ? 413 : data.httpStatus;
  const headers: Record<string, string> = {};
  const appError = error.cause instanceof AppError ? error.cause : cause instanceof AppError ? cause : undefined;
  if (appError?.details.retryAfterSeconds) headers['Retry-After'] = String(appError.details.retryAfterSeconds);
  sendJson(
    response,
    status,
    { error: { code: data.code, message: data.message, ...(data.field ? { field: data.field } : {}), ...(data.limit ? { limit: data.limit } : {}) } },
    headers,
  );
}
