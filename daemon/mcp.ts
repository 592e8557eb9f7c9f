// `npm run --silent mcp`: the MCP server over stdio, for Claude Desktop and Claude Code on the
// operator's machine. It talks to the hub named by MESH_HUB with MESH_TOKEN through the typed tRPC
// client, so the hub checks every call as it checks the CLI's. Stdout carries the protocol and
// nothing else: every log line goes to stderr. Imports only client-side code (and types).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { TRPCClientError } from '@trpc/client';
import { readFileSync } from 'node:fs';
import { resolveHubSettings, displayUrl } from './cli/connection';
import { isTimeout, unreachableReason } from '../src/lib/connection-errors';
import { createHubClient } from '../src/lib/hub-client';
import { createMeshMcpServer } from '../src/server/mcp/mcp-server';
import { proceduresOverHubClient } from '../src/server/mcp/procedures';
import type { ToolFailure } from '../src/server/mcp/tool-errors';

/** A hub call that hangs longer than this fails the tool call (wait_for_task polls in short calls). */
const CALL_TIMEOUT_MS = 30_000;

// A library that prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function fail(message: string): never {
  process.stderr.write(`m3shd mcp: ${message}\n`);
  process.exit(2);
}

function describeClientError(error: unknown, hubUrl: string, token: string): ToolFailure {
  const unreachable = unreachableReason(error);
  if (unreachable) return { code: 'UNAVAILABLE', message: `cannot reach the hub at ${hubUrl} (${unreachable})` };
  if (isTimeout(error)) return { code: 'TIMEOUT', message: `the hub at ${hubUrl} did not answer within ${CALL_TIMEOUT_MS / 1000} s` };
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: unknown } | undefined;
    // The hub's message, formatted by its error formatter; never echo the token.
    const message = String(error.message).replaceAll(token, '[token]');
    if (typeof data?.code === 'string') return { code: data.code, message };
    return { code: 'BAD_GATEWAY', message: `${hubUrl} did not answer as an m3shd hub` };
  }
  return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
}

async function main(): Promise<void> {
  let settings;
  try {
    settings = resolveHubSettings({}, process.env);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const token = settings.token;
  if (!token) fail('MESH_TOKEN is not set: give it a master or agent token of the hub (and MESH_HUB its URL)');
  const hubUrl = displayUrl(settings.url);
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

  const client = createHubClient({ hubUrl: settings.url, token });
  const server = createMeshMcpServer({
    version,
    procedures: (signal) => proceduresOverHubClient(client, () => AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)])),
    describeError: (error) => describeClientError(error, hubUrl, token),
    onInternalError: (tool, error) => process.stderr.write(`m3shd mcp: internal error in ${tool} (${error instanceof Error ? error.name : 'Error'})\n`),
  });
  const transport = new StdioServerTransport();
  // The client closing stdin ends the server.
  process.stdin.once('end', () => process.exit(0));
  await server.connect(transport);
  process.stderr.write(`m3shd mcp: serving ${hubUrl} over stdio\n`);
}

main().catch((error: unknown) => fail(`could not start (${error instanceof Error ? error.message : String(error)})`));
