// POST /api/mcp: the MCP server over Streamable HTTP, stateless (a fresh server and transport per
// request, no session id), for Claude Code and other MCP clients that reach the hub over the
// network. The caller is resolved exactly as for tRPC (createTrpcContext) and each tool calls
// appRouter's procedures in-process with that context, so permissions, validation and errors are
// the tRPC edge's own. Only a bearer token is accepted: a cookie session would let any page the
// operator visits drive the mesh through a form post.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';
import type { EventStreamLimit } from '../events/stream-limit';
import type { Hub } from '../hub';
import type { ToolFailure } from './tool-errors';
import { appRouter } from '../routers';
import type { Context } from '../trpc';
import { bearerToken } from '../http/request-info';
import { createTrpcContext } from '../http/trpc-context';

export const MCP_PATH = '/api/mcp';

let mcpSession: Promise<typeof import('./mcp-session')> | undefined;
const loadMcpSession = () => (mcpSession ??= import('./mcp-session'));

export interface McpEndpointOptions {
  streams: EventStreamLimit;
  log?: (line: string) => void;
}

/** The tRPC edge's error formatter applied to what the in-process caller threw. */
function describeCallerError(error: unknown, context: Context): ToolFailure {
  if (!(error instanceof TRPCError)) return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: undefined, input: undefined, ctx: context });
  return { code: shape.data.code, message: shape.message };
}

function sendRpcError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

export function createMcpEndpoint(hub: Hub, options: McpEndpointOptions) {
  const log = options.log ?? (() => undefined);
  return async function handleMcp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Stateless: no session to resume (GET) or end (DELETE).
    if (request.method !== 'POST') {
      sendRpcError(response, 405, 'method not allowed: send MCP messages with POST', { Allow: 'POST' });
      return;
    }
    if (bearerToken(request) === undefined) {
      sendRpcError(response, 401, 'authentication required: send Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer realm="m3shd"' });
      return;
    }
    let context: Context;
    try {
      context = await createTrpcContext(hub, request, options.streams);
    } catch (error) {
      // Resolving the caller may refuse it (a rate-limited key): the status and wait the service says.
      if (!(error instanceof AppError)) throw error;
      const retryAfter = error.details.retryAfterSeconds ? { 'Retry-After': String(error.details.retryAfterSeconds) } : undefined;
      sendRpcError(response, HTTP_STATUS_BY_KIND[error.kind], error.message, retryAfter);
      return;
    }
    if (!context.principal) {
      sendRpcError(response, 401, 'invalid or revoked token', { 'WWW-Authenticate': 'Bearer realm="m3shd", error="invalid_token"' });
      return;
    }
    // The MCP SDK (and its schemas) loads on the first MCP request, not at the hub's start: ~6 MB of heap an idle hub without MCP clients does not keep.
    const { serveMcpRequest } = await loadMcpSession();
    await serveMcpRequest({ hub, context, request, response, log, describeError: (error) => describeCallerError(error, context) });
  };
}
