// One MCP request over Streamable HTTP: a fresh server and transport (stateless), whose tools call
// appRouter's procedures in-process with the caller's context. Imported lazily by mcp-endpoint.ts,
// so the MCP SDK is loaded only once an MCP client calls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { LIMITS } from '@/lib/limits';
import type { Hub } from '../hub';
import { createMeshMcpServer } from './mcp-server';
import type { ToolFailure } from './tool-errors';
import { appRouter } from '../routers';
import type { Context } from '../trpc';

export interface McpRequest {
  hub: Hub;
  context: Context;
  request: IncomingMessage;
  response: ServerResponse;
  log: (line: string) => void;
  describeError: (error: unknown) => ToolFailure;
}

export async function serveMcpRequest({ hub, context, request, response, log, describeError }: McpRequest): Promise<void> {
  const caller = appRouter.createCaller(context);
  const server = createMeshMcpServer({
    version: hub.config.version,
    procedures: () => caller,
    describeError,
    onInternalError: (tool, error) => log(`mcp: internal error in ${tool} (${error instanceof Error ? error.name : 'Error'})`),
  });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, maxRequestBodySize: LIMITS.requestBodyBytes });
  // The client going away ends the request's server, which aborts a tool still waiting.
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response);
}
