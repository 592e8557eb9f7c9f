// Unbatched tRPC mutations (POST /api/trpc/<path>, a JSON body, no query string) answered
// straight on Node's request and response. Everything a caller can see is tRPC's own: the same
// router, context, procedure call (input parser, middlewares, abort signal), error formatter,
// status codes, Retry-After and wire format (`{"result":{"data":…}}` / `{"error":…}`) as
// @trpc/server's standalone adapter, through its exported core functions.
//
// Why not the adapter for these: it turns every Node request into a WHATWG Request and every
// answer into a Response read back through web streams. On Node 20 that conversion (undici
// Request/Headers/AbortSignal, ReadableStream) was 15 % of the hub's CPU in bench:peers' paced
// phase, where each task is a handful of small worker mutations (claim, report, stream,
// heartbeat) sent unbatched. Batched requests, queries, subscriptions, method overrides and
// non-JSON bodies still go to the adapter (`handled` returns false before reading anything).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  callProcedure,
  getErrorShape,
  getHTTPStatusCodeFromError,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
} from '@trpc/server/unstable-core-do-not-import';
import { LIMITS } from '@/lib/limits';
import { appRouter } from '../routers';
import { clientGoneSignal } from './json-response';
import type { Context } from '../trpc';

export interface UnbatchedMutationOptions {
  createContext: (request: IncomingMessage) => Promise<Context>;
  /** The adapter's onError: called with every error before it is answered. */
  onError: (options: { error: TRPCError; path: string }) => void;
  /** The adapter's responseMeta headers for these errors (Retry-After). */
  errorHeaders: (errors: TRPCError[]) => Record<string, string>;
}

// tRPC keeps a flat record of every procedure by its dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;

/** The mutation at `path` when this request is one this module answers; undefined hands it to the adapter. */
function mutationPath(request: IncomingMessage, url: string, basePath: string): string | undefined {
  if (request.method !== 'POST' || url.includes('?')) return undefined;
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) return undefined;
  const path = url.slice(basePath.length);
  // Dotted identifiers only: a batch (`a,b`), an escape (`%2C`) or anything odd is the adapter's.
  if (!/^[A-Za-z0-9_.]+$/.test(path)) return undefined;
  return procedures[path]?._def.type === 'mutation' ? path : undefined;
}

async function readInput(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > LIMITS.requestBodyBytes) throw new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `body: exceeds ${LIMITS.requestBodyBytes} bytes (requestBodyBytes)` });
      chunks.push(chunk as Buffer);
    }
  } catch (cause) {
    if (cause instanceof TRPCError) throw cause;
    // The client went away mid-body: its mistake, not the hub's (no internal-error line).
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'the request body was cut off' });
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (cause) {
    throw new TRPCError({ code: 'PARSE_ERROR', cause: cause instanceof Error ? cause : undefined });
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(transformTRPCResponse(appRouter._def._config, body as never));
  response.writeHead(status, { 'Content-Type': 'application/json', Vary: 'trpc-accept, accept', ...headers });
  response.end(text);
}

export function createUnbatchedMutationHandler(basePath: string, options: UnbatchedMutationOptions) {
  /** Answers the request and returns true, or returns false (nothing read) for the adapter. */
  return function handle(request: IncomingMessage, response: ServerResponse, url: string): boolean {
    const path = mutationPath(request, url, basePath);
    if (path === undefined) return false;
    const signal = clientGoneSignal(response);
    void (async () => {
      let input: unknown;
      let ctx: Context | undefined;
      try {
        input = await readInput(request);
        ctx = await options.createContext(request);
        const data: unknown = await callProcedure({
          router: appRouter,
          path,
          getRawInput: async () => input,
          ctx,
          type: 'mutation',
          signal,
          batchIndex: 0,
        });
        send(response, 200, { result: { data } });
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError({ error, path });
        const shape = getErrorShape({ config: appRouter._def._config, error, type: 'mutation', path, input, ctx });
        if (!response.headersSent) send(response, getHTTPStatusCodeFromError(error), { error: shape }, options.errorHeaders([error]));
      }
    })().catch(() => {
      // Answering itself failed (the error could not be shaped or written): end the exchange, never the process.
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'internal error' } }));
      } else response.destroy();
    });
    return true;
  };
}
