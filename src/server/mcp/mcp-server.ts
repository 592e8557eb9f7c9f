// One MCP server over the mesh's tools, for either door: tools/list answers the 17 tools with
// their procedures' input schemas; tools/call runs one against the door's procedures. The
// low-level Server is used (not McpServer) so that arguments reach the procedures unparsed and
// their own validation answers, with the field and limit it names.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { MeshProcedures } from './procedures';
import { describeToolError, failureText, type DescribeError } from './tool-errors';
import { MESH_TOOLS, resultText, toolInputJsonSchema } from './tools';

export interface MeshMcpServerOptions {
  version: string;
  /** The procedures for one tool call (the stdio door gives each call its own abort signal). */
  procedures(signal: AbortSignal): MeshProcedures;
  describeError: DescribeError;
  /** Told about failures that are not the caller's (internal errors), without their message. */
  onInternalError?(toolName: string, error: unknown): void;
}

const INSTRUCTIONS =
  'm3shd routes work to a mesh of AI agents. To delegate: mesh_status (are agents online?), create_task (or dispatch_template, create_pipeline), then wait_for_task for its output. Errors name the missing permission or the field and limit at fault.';

let toolList: Tool[] | undefined;

function listTools(): Tool[] {
  toolList ??= MESH_TOOLS.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: toolInputJsonSchema(tool),
    annotations: { readOnlyHint: tool.readOnly, destructiveHint: tool.destructive ?? false, openWorldHint: false },
  }));
  return toolList;
}

const toolsByName = new Map(MESH_TOOLS.map((tool) => [tool.name, tool]));

export function createMeshMcpServer(options: MeshMcpServerOptions): Server {
  const server = new Server({ name: 'm3shd', version: options.version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools() }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = toolsByName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool "${request.params.name.slice(0, 64)}"; tools/list names the ${MESH_TOOLS.length} tools`);
    const progressToken = extra._meta?.progressToken;
    const context = {
      signal: extra.signal,
      async progress(message: string, done: number, total: number) {
        if (progressToken === undefined) return;
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: done, total, message } });
      },
    };
    try {
      const value = await tool.call(options.procedures(extra.signal), request.params.arguments ?? {}, context);
      return { content: [{ type: 'text', text: resultText(value) }] };
    } catch (error) {
      // Cancelled, or the client went away: nobody is waiting for an answer, and it is no failure to report.
      if (extra.signal.aborted) throw new McpError(ErrorCode.RequestTimeout, 'the tool call was cancelled');
      const failure = describeToolError(error, options.describeError);
      if (failure.code === 'INTERNAL_SERVER_ERROR') options.onInternalError?.(tool.name, error);
      return { isError: true, content: [{ type: 'text', text: failureText(failure) }] };
    }
  });

  return server;
}
