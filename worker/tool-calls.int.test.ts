// The [TOOL_CALL] loop through real worker processes against a real hub: the anthropic runtime
// against the fake Messages API, the openai runtime against the fake chat completions server,
// and claude-cli against the fake CLI; the tools run on the hub (web_search against the fake
// SearXNG, file_summary under a files root) and the model's next turn holds their results.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../src/testing/fake-anthropic';
import { startFakeOpenAi } from '../src/testing/fake-openai';
import { startFakeSearch, type FakeSearch } from '../src/testing/fake-search';
import { runTypeScript, type HubProcess } from '../src/testing/hub-process';
import { makeTempDir, startTestHub, type TestHub } from '../src/testing/test-hub';

const FAKE_CLAUDE = path.resolve('src/testing/bin/fake-claude');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SEARCH_CALL = 'Let me look that up.\n[TOOL_CALL] {"tool": "web_search", "query": "StoreKit 2 pricing", "limit": 2} [/TOOL_CALL]';
const FINAL_ANSWER = 'StoreKit 2 pricing: see the two results found.';

async function meshForTest(): Promise<{ testHub: TestHub; search: FakeSearch; filesRoot: string }> {
  const search = await startFakeSearch();
  const filesRoot = makeTempDir('m3shd-files-');
  fs.writeFileSync(path.join(filesRoot, 'notes.txt'), 'remember the milk\n');
  const testHub = await startTestHub({ env: { MESH_SEARCH_URL: `${search.url}/search`, MESH_FILES_ROOT: filesRoot, MESH_DAILY_TOKEN_BUDGET: '100000000' } });
  cleanups.push(
    () => search.close(),
    () => testHub.destroy(),
    () => fs.rmSync(filesRoot, { recursive: true, force: true }),
  );
  return { testHub, search, filesRoot };
}

async function startWorker(testHub: TestHub, id: string, flags: string[], env: Record<string, string>): Promise<HubProcess> {
  const { token } = await testHub.client({ token: testHub.masterToken }).tokens.create.mutate({ agentId: id, preset: 'worker' });
  const outbox = makeTempDir('m3shd-outbox-');
  // The machine is shared: the load gate must not hold these workers back.
  const worker = runTypeScript('worker/main.ts', ['--id', id, '--max-load', '10000', '--heartbeat-ms', '300', '--claim-interval-ms', '500', '--stream-flush-ms', '50', '--outbox-dir', outbox, ...flags], {
    MESH_HUB: testHub.url,
    MESH_TOKEN: token,
    ...env,
  });
  cleanups.push(() => {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    fs.rmSync(outbox, { recursive: true, force: true });
  });
  await worker.waitForOutput('registered with');
  return worker;
}

async function runTask(testHub: TestHub, prompt: string) {
  const task = await testHub.client({ token: testHub.masterToken }).tasks.create.mutate({ title: 'tool task', prompt });
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { costs: true, streamChunks: { orderBy: { id: 'asc' } } } });
    if (current.status === 'done' || current.status === 'failed') return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
  throw new Error(`the task did not finish (${current.status}, assigned to ${current.assignedTo})`);
}

async function invokedEvents(testHub: TestHub) {
  const rows = await testHub.hub.db.eventLog.findMany({ where: { type: 'plugin_invoked' }, orderBy: { id: 'asc' } });
  return rows.map((row) => JSON.parse(row.payload) as { tool: string; agentId: string | null; ok: boolean; error: string | null });
}

describe('the [TOOL_CALL] loop through a real worker', () => {
  it('anthropic runtime: the tool result is the next user turn, the final answer is the output', async () => {
    const { testHub, search } = await meshForTest();
    const anthropic = await startFakeAnthropic({ script: [SEARCH_CALL, FINAL_ANSWER] });
    cleanups.push(() => anthropic.close());
    const worker = await startWorker(testHub, 'api-worker', ['--runtime', 'anthropic', '--model', 'claude-haiku-4-5'], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: anthropic.url });

    const task = await runTask(testHub, 'What does StoreKit 2 cost?').catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output()}\n${worker.errors()}\nrequests: ${anthropic.requests.length}`);
    });
    expect(task.status).toBe('done');
    expect(task.output).toBe(FINAL_ANSWER);
    expect(search.queries).toEqual(['StoreKit 2 pricing']);
    expect(anthropic.requests).toHaveLength(2);
    const [user, assistant, toolTurn] = anthropic.conversations[1]!;
    expect(anthropic.conversations[1]!).toHaveLength(3);
    expect(user).toEqual({ role: 'user', text: 'What does StoreKit 2 cost?' });
    expect(assistant).toEqual({ role: 'assistant', text: SEARCH_CALL });
    expect(toolTurn!.role).toBe('user');
    expect(toolTurn!.text).toContain('[TOOL_RESULT tool="web_search" ok]\nResults for "StoreKit 2 pricing":\n1. Result 1 for StoreKit 2 pricing — https://example.com/storekit-2-pricing/1');
    expect(toolTurn!.text).not.toContain('Result 3');
    // Both rounds' tokens are the task's cost; the stream shows the call, the result and the answer.
    expect(task.costs).toHaveLength(1);
    expect(task.costs[0]!.inputTokens).toBe(anthropic.requests.reduce((sum, request) => sum + Math.max(1, Math.ceil(request.prompt.length / 4)), 0));
    const streamed = task.streamChunks.map((chunk) => chunk.content).join('');
    expect(streamed.indexOf('[TOOL_CALL]')).toBeGreaterThanOrEqual(0);
    expect(streamed.indexOf('[TOOL_RESULT tool="web_search" ok]')).toBeGreaterThan(streamed.indexOf('[TOOL_CALL]'));
    expect(streamed.endsWith(FINAL_ANSWER)).toBe(true);
    expect(await invokedEvents(testHub)).toEqual([{ tool: 'web_search', plugin: 'web_search', agentId: 'api-worker', ok: true, error: null }]);
  }, 90_000);

  it('openai runtime: refused and malformed calls reach the model as errors, without paths', async () => {
    const { testHub, search, filesRoot } = await meshForTest();
    const calls = [
      '[TOOL_CALL] {"tool": "file_summary", "path": "../../etc/passwd"} [/TOOL_CALL]',
      '[TOOL_CALL] {"tool": "file_summary", "path": "notes.txt"} [/TOOL_CALL]',
      '[TOOL_CALL] {"tool": "web_search", "query": } [/TOOL_CALL]',
    ].join('\n');
    const openai = await startFakeOpenAi({ script: [calls, 'Done: the notes say to remember the milk.'] });
    cleanups.push(() => openai.close());
    await startWorker(testHub, 'local-worker', ['--runtime', 'openai', '--model', 'local-llama'], { OPENAI_BASE_URL: `${openai.url}/v1` });

    const task = await runTask(testHub, 'Summarize my notes.');
    expect(task.status).toBe('done');
    expect(task.output).toBe('Done: the notes say to remember the milk.');
    expect(openai.requests).toHaveLength(2);
    const toolTurn = openai.conversations[1]!.at(-1)!;
    expect(toolTurn.role).toBe('user');
    expect(toolTurn.text).toContain('[TOOL_RESULT tool="file_summary" error]\nthe hub refused the call (403): path: outside the files root\n[/TOOL_RESULT]');
    expect(toolTurn.text).toContain('[TOOL_RESULT tool="file_summary" ok]\nnotes.txt: 1 lines, 3 words, 18 bytes. First lines:\nremember the milk');
    expect(toolTurn.text).toContain('[TOOL_RESULT error]\nthe tool call is not valid JSON\n[/TOOL_RESULT]');
    expect(toolTurn.text).not.toContain(filesRoot);
    expect(search.queries).toEqual([]);
    expect((await invokedEvents(testHub)).map((event) => [event.tool, event.ok, event.error])).toEqual([
      ['file_summary', false, 'forbidden'],
      ['file_summary', true, null],
    ]);
  }, 90_000);

  it('claude-cli runtime: re-run with the transcript, and stopped after five rounds', async () => {
    const { testHub, search } = await meshForTest();
    // A model that never stops asking: the loop ends after MAX_TOOL_ROUNDS rounds anyway.
    await startWorker(testHub, 'cli-worker', ['--runtime', 'claude-cli', '--command', FAKE_CLAUDE], { FAKE_CLAUDE_SCRIPT: JSON.stringify([SEARCH_CALL]), FAKE_CLAUDE_DELAY_MS: '1' });
    const task = await runTask(testHub, 'Keep searching.');
    expect(task.status).toBe('done');
    expect(task.output).toBe(SEARCH_CALL);
    expect(search.queries).toHaveLength(5);
    const streamed = task.streamChunks.map((chunk) => chunk.content).join('');
    expect(streamed.match(/\[TOOL_RESULT tool="web_search" ok\]/g)).toHaveLength(5);
    expect(streamed).toContain('That was the last round of tool calls for this task');

    // A scripted CLI that stops after one call: the second run's prompt carried the transcript.
    const search2Before = search.queries.length;
    await startWorker(testHub, 'cli-worker-2', ['--runtime', 'claude-cli', '--command', FAKE_CLAUDE, '--capabilities', 'second'], { FAKE_CLAUDE_SCRIPT: JSON.stringify([SEARCH_CALL, FINAL_ANSWER]), FAKE_CLAUDE_DELAY_MS: '1' });
    const master = testHub.client({ token: testHub.masterToken });
    const second = await master.tasks.create.mutate({ title: 'second', prompt: 'Search once.', requiredCapability: 'second' });
    let done;
    for (let tries = 0; tries < 300; tries += 1) {
      done = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: second.id } });
      if (done.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(done!.status).toBe('done');
    expect(done!.output).toBe(FINAL_ANSWER);
    expect(search.queries.length - search2Before).toBe(1);
  }, 120_000);
});
