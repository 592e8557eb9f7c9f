// The MCP server end to end: the SDK's own Client over stdio (`npm run --silent mcp`, a real
// process talking to the hub over HTTP) and over Streamable HTTP (/api/mcp on the hub), against a
// real hub with a real worker process (the command runtime echoes its prompt).
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../../lib/hub-client';
import { LIMITS } from '../../lib/limits';
import { runTypeScript, type HubProcess } from '../../testing/hub-process';
import { makeTempDir, startTestHub, type TestHub } from '../../testing/test-hub';
import { MESH_TOOLS } from './tools';

let testHub: TestHub;
let master: HubClient;
let worker: HubProcess;
let outbox: string;
const clients: Client[] = [];

beforeAll(async () => {
  testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '100000000' } });
  master = testHub.client({ token: testHub.masterToken });
  const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
  outbox = makeTempDir('m3shd-outbox-');
  worker = runTypeScript(
    'worker/main.ts',
    ['--id', 'rex', '--runtime', 'command', '--command', `sh -c 'echo "[ran by rex]"; cat'`, '--slots', '2', '--max-load', '10000', '--heartbeat-ms', '300', '--claim-interval-ms', '300', '--stream-flush-ms', '50', '--outbox-dir', outbox],
    { MESH_HUB: testHub.url, MESH_TOKEN: token },
  );
  await worker.waitForOutput('registered with');
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited();
  }
  await testHub?.destroy();
  if (outbox) fs.rmSync(outbox, { recursive: true, force: true });
});

async function httpClient(token: string): Promise<Client> {
  const client = new Client({ name: 'm3shd-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${testHub.url}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

/** What the README tells Claude Desktop to run: npm, silenced, from the project folder. */
async function stdioClient(token: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: 'npm',
    args: ['--prefix', path.resolve('.'), 'run', '--silent', 'mcp'],
    env: { MESH_HUB: testHub.url, MESH_TOKEN: token },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'm3shd-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, stderr: () => stderr };
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = (result as CallToolResult).content;
  expect(content).toHaveLength(1);
  expect(content[0]!.type).toBe('text');
  return (content[0] as { text: string }).text;
}

async function callJson(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  if (result.isError) throw new Error(`${name} failed: ${text(result)}`);
  return JSON.parse(text(result));
}

async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name} should fail`).toBe(true);
  return text(result);
}

/** create_task, then wait_for_task: the delegate-and-wait a Claude Code session does. */
async function delegateAndWait(client: Client, marker: string) {
  const created = await callJson(client, 'create_task', { title: `Echo ${marker}`, prompt: `say ${marker}` });
  expect(created.status).toMatch(/^(queued|assigned)$/);
  const waited = await callJson(client, 'wait_for_task', { taskId: created.id, timeoutSeconds: 60 });
  return { created, waited };
}

describe('the MCP server over Streamable HTTP (/api/mcp)', () => {
  it('lists the 17 tools with their input schemas, and runs create_task then wait_for_task on a real worker', async () => {
    const client = await httpClient(testHub.masterToken);
    expect(client.getServerVersion()?.name).toBe('m3shd');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(MESH_TOOLS.map((tool) => tool.name).sort());
    expect(tools).toHaveLength(17);
    const createTask = tools.find((tool) => tool.name === 'create_task')!;
    expect(createTask.inputSchema.required).toEqual(['title', 'prompt']);
    expect(Object.keys(createTask.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['title', 'prompt', 'priority', 'assignTo', 'dependsOn']));

    const { created, waited } = await delegateAndWait(client, 'HTTP-MARKER-7');
    expect(waited.ended).toBe(true);
    expect(waited.task).toMatchObject({ id: created.id, status: 'done', assignedTo: 'rex' });
    expect(waited.task.output).toContain('[ran by rex]');
    expect(waited.task.output).toContain('say HTTP-MARKER-7');
    const row = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.status).toBe('done');
    expect(row.createdBy).toBe('master');
  }, 90_000);

  it('answers every tool from the procedures behind it', async () => {
    const client = await httpClient(testHub.masterToken);

    const status = await callJson(client, 'mesh_status');
    expect(status.caller).toMatchObject({ kind: 'master', permissions: expect.arrayContaining(['tasks:write', 'admin:tokens']) });
    expect(status.agents.online + status.agents.busy).toBe(1);
    expect(status.openTasks).toEqual(expect.objectContaining({ queued: expect.any(Number), running: expect.any(Number) }));

    const agents = await callJson(client, 'list_agents');
    expect(agents).toEqual([expect.objectContaining({ id: 'rex', slots: expect.stringMatching(/^\d\/2$/) })]);

    // A task no agent can take waits; the timeout answers its state, and cancel_task ends it.
    const stuck = await callJson(client, 'create_task', { title: 'Needs a GPU', prompt: 'render', requiredCapability: 'gpu-none-here' });
    // A client that asks for progress hears how the wait goes (clients can reset their own timeout on it).
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const timedOut = await client.callTool({ name: 'wait_for_task', arguments: { taskId: stuck.id, timeoutSeconds: 2 } }, undefined, { onprogress: (note) => progress.push(note) });
    const waited = JSON.parse(text(timedOut));
    expect(waited).toMatchObject({ ended: false, task: { id: stuck.id, status: 'queued' } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ total: 2, message: `task ${stuck.id} is queued` });
    expect(waited.note).toContain('call wait_for_task again');
    expect(waited.task.waitingBecause).toContain('gpu-none-here');
    const detail = await callJson(client, 'get_task', { taskId: stuck.id });
    expect(detail).toMatchObject({ id: stuck.id, prompt: 'render', requiredCapability: 'gpu-none-here' });
    const listed = await callJson(client, 'list_tasks', { status: 'queued' });
    expect(listed.tasks.map((task: { id: string }) => task.id)).toContain(stuck.id);
    expect(await callJson(client, 'cancel_task', { taskId: stuck.id })).toMatchObject({ id: stuck.id, status: 'cancelled' });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe('cancelled');

    const pipeline = await callJson(client, 'create_pipeline', {
      name: 'two steps',
      steps: [
        { title: 'First', prompt: 'STEP-ONE' },
        { title: 'Second', prompt: 'STEP-TWO' },
      ],
    });
    expect(pipeline.taskIds).toHaveLength(2);
    const last = await callJson(client, 'wait_for_task', { taskId: pipeline.taskIds[1], timeoutSeconds: 60 });
    expect(last.task.status).toBe('done');
    expect(last.task.output).toContain('STEP-ONE');
    expect(last.task.output).toContain('STEP-TWO');

    const template = await master.templates.create.mutate({ name: 'MCP brief research', promptTemplate: 'Research {topic} briefly' });
    const templates = await callJson(client, 'list_templates');
    expect(templates).toEqual(expect.arrayContaining([expect.objectContaining({ id: template.id, name: 'MCP brief research', variables: ['topic'] })]));
    const dispatched = await callJson(client, 'dispatch_template', { templateId: template.id, variables: { topic: 'tides' } });
    const fromTemplate = await callJson(client, 'wait_for_task', { taskId: dispatched.task.id, timeoutSeconds: 60 });
    expect(fromTemplate.task.output).toContain('Research tides briefly');

    expect(await callJson(client, 'set_context', { key: 'project.name', value: 'Tidewater' })).toMatchObject({ key: 'project.name', value: 'Tidewater' });
    expect(await callJson(client, 'get_context', { key: 'project.name' })).toMatchObject({ value: 'Tidewater' });
    expect(await callJson(client, 'get_context')).toEqual([expect.objectContaining({ key: 'project.name' })]);

    // A chat command runs as on the dashboard: `@context` answers the shared context.
    const chat = await callJson(client, 'send_chat', { content: '@context' });
    expect(chat.reply).toContain('Tidewater');
    const read = await callJson(client, 'read_chat', { limit: 2 });
    expect(read.messages.map((message: { content: string }) => message.content)).toContain('@context');
    expect(read.messages[0].senderType).toBe('system');

    const approval = await master.approvals.create.mutate({ action: 'deploy', description: 'ship it', agentId: 'rex' });
    const pending = await callJson(client, 'list_approvals', { status: 'pending' });
    expect(pending.map((item: { id: string }) => item.id)).toEqual([approval.id]);
    expect(await callJson(client, 'decide_approval', { approvalId: approval.id, decision: 'approve' })).toMatchObject({ id: approval.id, status: 'approved' });
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('approved');

    await master.memory.store.mutate({ agentId: 'rex', key: 'tide.tables', value: 'ZANZIBARITE tides peak at noon' });
    const hits = await callJson(client, 'search_memory', { agentId: 'rex', query: 'zanzibarite' });
    expect(hits).toEqual([expect.objectContaining({ agentId: 'rex', key: 'tide.tables' })]);
  }, 120_000);

  it('names the missing permission, and does nothing, for a token without it', async () => {
    const { token } = await master.tokens.create.mutate({ agentId: 'watcher', permissions: ['agents:read'] });
    const client = await httpClient(token);
    const before = await testHub.hub.db.task.count();
    expect(await callError(client, 'create_task', { title: 'nope', prompt: 'nope' })).toBe('FORBIDDEN: missing permission tasks:write');
    expect(await callError(client, 'search_memory', { query: 'tides' })).toBe('FORBIDDEN: missing permission memory:read');
    expect(await callError(client, 'decide_approval', { approvalId: 'x', decision: 'reject' })).toBe('FORBIDDEN: missing permission tasks:write');
    expect(await testHub.hub.db.task.count()).toBe(before);
    // mesh_status shows what the token may read and says what it may not.
    const status = await callJson(client, 'mesh_status');
    expect(status.caller).toMatchObject({ kind: 'agent', name: 'watcher', permissions: ['agents:read'] });
    expect(status.agents.online + status.agents.busy).toBe(1);
    expect(status.openTasks).toBe('not shown: missing permission tasks:read');
  });

  it('takes an API key within its permissions, and refuses it once revoked', async () => {
    const { key, view } = await master.keys.create.mutate({ name: 'mcp-reader', permissions: ['tasks:read', 'agents:read'] });
    const client = await httpClient(key);
    expect((await client.listTools()).tools).toHaveLength(17);
    expect(await callJson(client, 'list_tasks', {})).toEqual(expect.anything());
    expect(await callError(client, 'create_task', { title: 'from a key', prompt: 'no' })).toBe('FORBIDDEN: missing permission tasks:write');
    expect(await testHub.hub.db.task.count({ where: { title: 'from a key' } })).toBe(0);
    await client.close();
    await master.keys.revoke.mutate({ keyId: view.id });
    await expect(httpClient(key)).rejects.toThrow(/401|invalid or revoked/);
  });

  it('refuses a wrong or missing token with 401, and GET with 405', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } });
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    const wrong = await fetch(`${testHub.url}/api/mcp`, { method: 'POST', headers: { ...headers, Authorization: 'Bearer m3shd_agent_not-a-real-token' }, body: initialize });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await wrong.json()).error.message).toBe('invalid or revoked token');
    const missing = await fetch(`${testHub.url}/api/mcp`, { method: 'POST', headers, body: initialize });
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.message).toContain('Authorization: Bearer');
    const get = await fetch(`${testHub.url}/api/mcp`, { headers: { Authorization: `Bearer ${testHub.masterToken}` } });
    expect(get.status).toBe(405);
    // The SDK client sees the refusal too.
    const client = new Client({ name: 'm3shd-test', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${testHub.url}/api/mcp`), { requestInit: { headers: { Authorization: 'Bearer wrong' } } }))).rejects.toThrow(/401|invalid or revoked token/);
  });

  it('answers hostile and oversized arguments with a clear error, changing nothing', async () => {
    const client = await httpClient(testHub.masterToken);
    const before = await testHub.hub.db.task.count();
    expect(await callError(client, 'create_task', { title: 'big', prompt: 'x'.repeat(LIMITS.promptBytes + 1) })).toBe('BAD_REQUEST: prompt: exceeds the 8 KB limit (promptBytes)');
    expect(await callError(client, 'create_task', { title: { $gt: '' }, prompt: 'p' })).toMatch(/^BAD_REQUEST: title: /);
    expect(await callError(client, 'create_task', { title: 't', prompt: 'p', priority: 1e308 })).toMatch(/^BAD_REQUEST: priority: /);
    expect(await callError(client, 'wait_for_task', { taskId: 'nope', timeoutSeconds: 601 })).toMatch(/^BAD_REQUEST: timeoutSeconds: /);
    expect(await callError(client, 'get_task', { taskId: 'no-such-task' })).toMatch(/^NOT_FOUND: task no-such-task/);
    expect(await callError(client, 'decide_approval', { approvalId: 'a', decision: 'maybe' })).toMatch(/^BAD_REQUEST: decision: /);
    expect(await callError(client, 'mesh_status', { surprise: true })).toMatch(/^BAD_REQUEST: .*surprise/);
    await expect(client.callTool({ name: '__proto__', arguments: {} })).rejects.toThrow(/unknown tool "__proto__"/);
    expect(await testHub.hub.db.task.count()).toBe(before);

    // A body past the request limit is refused before any of it is parsed.
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_task', arguments: { title: 't', prompt: 'x'.repeat(LIMITS.requestBodyBytes) } } });
    const response = await fetch(`${testHub.url}/api/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${testHub.masterToken}` },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(await testHub.hub.db.task.count()).toBe(before);
  });
});

describe('the MCP server over stdio (npm run --silent mcp)', () => {
  it('lists the 17 tools and runs create_task then wait_for_task through the hub', async () => {
    const { client, stderr } = await stdioClient(testHub.masterToken);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(MESH_TOOLS.map((tool) => tool.name).sort());
    const { created, waited } = await delegateAndWait(client, 'STDIO-MARKER-3');
    expect(waited.ended).toBe(true);
    expect(waited.task).toMatchObject({ id: created.id, status: 'done', assignedTo: 'rex' });
    expect(waited.task.output).toContain('say STDIO-MARKER-3');
    expect(stderr()).toContain('serving');
    expect(stderr()).not.toContain(testHub.masterToken);
  }, 90_000);

  it('names the missing permission and the field at fault as the HTTP door does', async () => {
    const { token } = await master.tokens.create.mutate({ agentId: 'watcher-two', permissions: ['agents:read'] });
    const limited = await stdioClient(token);
    expect(await callError(limited.client, 'create_task', { title: 'nope', prompt: 'nope' })).toBe('FORBIDDEN: missing permission tasks:write');
    const full = await stdioClient(testHub.masterToken);
    expect(await callError(full.client, 'create_task', { title: 'big', prompt: 'x'.repeat(LIMITS.promptBytes + 1) })).toBe('BAD_REQUEST: prompt: exceeds the 8 KB limit (promptBytes)');
    expect(await callError(full.client, 'wait_for_task', { taskId: 'x', timeoutSeconds: 0 })).toMatch(/^BAD_REQUEST: timeoutSeconds: /);

    // A wait the client cancels ends at once, quietly; the server goes on answering.
    const stuck = await callJson(full.client, 'create_task', { title: 'Nobody can', prompt: 'wait', requiredCapability: 'none-has-this' });
    const cancel = new AbortController();
    const waiting = full.client.callTool({ name: 'wait_for_task', arguments: { taskId: stuck.id, timeoutSeconds: 600 } }, undefined, { signal: cancel.signal });
    setTimeout(() => cancel.abort(), 500);
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(await callJson(full.client, 'get_task', { taskId: stuck.id })).toMatchObject({ status: 'queued' });
    expect(full.stderr()).not.toContain('internal error');
  }, 60_000);

  it('says what is wrong when the token is rejected or missing', async () => {
    const wrong = await stdioClient('m3shd_agent_wrong');
    expect(await callError(wrong.client, 'list_agents', {})).toBe('UNAUTHORIZED: invalid or revoked token');
    // Without MESH_TOKEN the process exits at once with the reason on stderr.
    const run = runTypeScript('daemon/mcp.ts', [], { MESH_HUB: testHub.url, MESH_TOKEN: '' });
    expect((await run.exited()).code).toBe(2);
    expect(run.errors()).toContain('MESH_TOKEN is not set');
    expect(run.output()).toBe('');
  }, 60_000);
});
