// The four runtimes against real processes and the real HTTP fakes: output, streaming, usage,
// failures, and that timeout and cancel really stop the work (process groups included).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeTokenCount, startFakeAnthropic, type FakeAnthropic } from '../../src/testing/fake-anthropic';
import { FAKE_CLAUDE_BIN, fakeClaudeCostUsd } from '../../src/testing/fake-claude';
import { startFakeOpenAi, type FakeOpenAi } from '../../src/testing/fake-openai';
import { createAnthropicRuntime } from './anthropic';
import { createClaudeCliRuntime } from './claude-cli';
import { createCommandRuntime } from './command';
import { createRuntime, RUNTIME_NAMES } from './index';
import { createOpenAiRuntime } from './openai';
import { RuntimeError, type RunOptions, type Runtime, type RuntimeResult, type RuntimeTask } from './runtime';

const MODEL = 'claude-sonnet-4-6';
let tempDir: string;

beforeAll(() => {
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'm3shd-runtimes-'));
});
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function task(prompt: string, model?: string): RuntimeTask {
  return { taskId: 'task-1', prompt, model };
}

/** Runs a task, collecting streamed chunks; the signal is a fresh one unless given. */
async function runCollecting(runtime: Runtime, runTask: RuntimeTask, options: Partial<RunOptions> = {}) {
  const chunks: string[] = [];
  const result = await runtime.run(runTask, {
    onChunk: (text) => chunks.push(text),
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  return { result, chunks };
}

/** The RuntimeError a run fails with (the test fails if the run succeeds or throws anything else). */
async function runtimeErrorOf(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RuntimeError);
  return error as RuntimeError;
}

/** Alive means signalable and not a zombie: an orphan's zombie lingers here (PID 1 does not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}

function fakeClaudeRuntime(pidFile?: string, extraArgs: string[] = []) {
  return createClaudeCliRuntime({
    command: [FAKE_CLAUDE_BIN, '--print', '--dangerously-skip-permissions', ...extraArgs],
    env: { FAKE_CLAUDE_DELAY_MS: '20', ...(pidFile ? { FAKE_CLAUDE_PID_FILE: pidFile } : {}) },
  });
}

function readPids(pidFile: string): { wrapperPid: number; fakePid: number } {
  return JSON.parse(readFileSync(pidFile, 'utf8')) as { wrapperPid: number; fakePid: number };
}

describe('command runtime', () => {
  // Reads stdin, then writes it back upper-cased in three timed pieces.
  const script =
    "let s='';process.stdin.on('data',d=>s+=d).on('end',async()=>{const u=s.toUpperCase();" +
    'for(const p of [u.slice(0,3),u.slice(3,6),u.slice(6)]){process.stdout.write(p);await new Promise(r=>setTimeout(r,30))}})';

  it('runs the command with the prompt on stdin and streams its stdout', async () => {
    const runtime = createCommandRuntime({ command: [process.execPath, '-e', script] });
    const { result, chunks } = await runCollecting(runtime, task('hello command runtime'));
    // A program prints no token counts: about four characters a token, marked as an estimate.
    expect(result).toEqual({ output: 'HELLO COMMAND RUNTIME', usage: { model: 'estimate:command', inputTokens: 6, outputTokens: 6, costUsd: 0 } });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.join('')).toBe(result.output);
  });

  it('fails with the exit code and the tail of stderr on a non-zero exit', async () => {
    const runtime = createCommandRuntime({ command: [process.execPath, '-e', "process.stderr.write('x'.repeat(900) + 'the real reason'); process.exit(7)"] });
    const error = await runtimeErrorOf(runtime.run(task('secret prompt text'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toContain('exited with code 7');
    expect(error.message).toContain('the real reason');
    expect(error.message.length).toBeLessThan(700);
    expect(error.message).not.toContain('secret prompt text');
  });

  it('fails clearly when the program does not exist', async () => {
    const runtime = createCommandRuntime({ command: ['m3shd-no-such-program'] });
    const error = await runtimeErrorOf(runtime.run(task('hi'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toContain('cannot start "m3shd-no-such-program": not found');
  });

  it('SIGKILLs a process group that ignores SIGTERM', async () => {
    // sh and its sleep both ignore SIGTERM (an ignored signal stays ignored across exec).
    const runtime = createCommandRuntime({ command: ['sh', '-c', 'trap "" TERM; sleep 30 & echo "$$ $!"; wait'] });
    const chunks: string[] = [];
    const error = await runtimeErrorOf(runtime.run(task('ignored'), { onChunk: (text) => chunks.push(text), signal: new AbortController().signal, timeoutMs: 500 }));
    expect(error.reason).toBe('timeout');
    const [shellPid, sleepPid] = chunks.join('').trim().split(' ').map(Number);
    expect(await waitUntilGone(shellPid!)).toBe(true);
    expect(await waitUntilGone(sleepPid!)).toBe(true);
  });
});

describe('claude-cli runtime (fake claude)', () => {
  it('streams the reply (stream-json), passes the task model as --model and reports the CLI usage', async () => {
    const prompt = 'write a haiku about meshes';
    const { result, chunks } = await runCollecting(fakeClaudeRuntime(), task(prompt, 'claude-opus-4'));
    const reply = 'echo: write a haiku about meshes (model claude-opus-4)';
    expect(result.output).toBe(reply);
    // A model the hub prices itself: no cost figure of the worker's own.
    expect(result.usage).toEqual({ model: 'claude-opus-4', inputTokens: fakeTokenCount(prompt), outputTokens: fakeTokenCount(reply) });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    // Each assistant message streams as it arrives, set apart by a blank line.
    expect(chunks.join('').replaceAll('\n\n', '')).toBe(reply);
  });

  it("keeps the CLI's cost figure for a model the hub does not price", async () => {
    const prompt = 'hello local';
    const { result } = await runCollecting(fakeClaudeRuntime(), task(prompt, 'local-test-model'));
    const reply = 'echo: hello local (model local-test-model)';
    expect(result.usage).toEqual({ model: 'local-test-model', inputTokens: fakeTokenCount(prompt), outputTokens: fakeTokenCount(reply), costUsd: fakeClaudeCostUsd(prompt, reply) });
  });

  it('reads --output-format json from the command line: the answer comes at the end, with usage', async () => {
    const prompt = 'json please';
    const { result, chunks } = await runCollecting(fakeClaudeRuntime(undefined, ['--output-format', 'json']), task(prompt));
    expect(result.output).toBe('echo: json please');
    expect(chunks).toEqual(['echo: json please']);
    // No model named anywhere: the CLI's own name, with its cost figure.
    expect(result.usage).toEqual({ model: 'claude-cli', inputTokens: fakeTokenCount(prompt), outputTokens: fakeTokenCount('echo: json please'), costUsd: fakeClaudeCostUsd(prompt, 'echo: json please') });
  });

  it('falls back to text output and then estimates the usage', async () => {
    const prompt = 'plain text mode, please';
    const { result, chunks } = await runCollecting(fakeClaudeRuntime(undefined, ['--output-format', 'text']), task(prompt, 'claude-sonnet-4-5'));
    expect(result.output).toBe('echo: plain text mode, please (model claude-sonnet-4-5)\n');
    expect(chunks.join('')).toBe(result.output);
    const inputTokens = Math.ceil(prompt.length / 4);
    const outputTokens = Math.ceil(result.output.length / 4);
    // Marked as an estimate; priced from the table because the task named a model it knows.
    expect(result.usage).toEqual({ model: 'estimate:claude-cli', inputTokens, outputTokens, costUsd: expect.closeTo((inputTokens * 3 + outputTokens * 15) / 1e6, 10) });
  });

  it("fails with the CLI's own words when it reports an error on stdout", async () => {
    const error = await runtimeErrorOf(fakeClaudeRuntime().run(task('CLI_ERROR here'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(/exited with code 1 \(fake claude: the API refused the request\)$/);
  });

  it('fails with exit code 3 and the stderr line when the prompt says FAIL', async () => {
    const error = await runtimeErrorOf(fakeClaudeRuntime().run(task('please FAIL now'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(/exited with code 3: fake claude: failing/);
  });

  it('times out and kills the whole process group', async () => {
    const pidFile = path.join(tempDir, 'timeout.json');
    const error = await runtimeErrorOf(fakeClaudeRuntime(pidFile).run(task('SLOW please'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('claude-cli runtime: timed out after 300 ms');
    // The wrapper writes the file about 150 ms after its start, well inside the 300 ms.
    expect(existsSync(pidFile)).toBe(true);
    const { wrapperPid, fakePid } = readPids(pidFile);
    expect(isAlive(wrapperPid)).toBe(false);
    expect(await waitUntilGone(fakePid)).toBe(true);
  });

  it('stops on cancel within 3 s, grandchild included', async () => {
    const pidFile = path.join(tempDir, 'abort.json');
    const controller = new AbortController();
    const started = Date.now();
    const error = await runtimeErrorOf(
      // Cancelled on the first chunk, so the fake is surely running (and sleeping) by then.
      fakeClaudeRuntime(pidFile).run(task('SLOW and steady'), { onChunk: () => controller.abort(), signal: controller.signal, timeoutMs: 30_000 }),
    );
    expect(error.reason).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(3_000 + 1_000);
    const { wrapperPid, fakePid } = readPids(pidFile);
    expect(isAlive(wrapperPid)).toBe(false);
    expect(await waitUntilGone(fakePid)).toBe(true);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await runtimeErrorOf(fakeClaudeRuntime().run(task('hi'), { onChunk: () => {}, signal: controller.signal, timeoutMs: 1_000 }));
    expect(error.reason).toBe('aborted');
  });
});

describe('anthropic runtime (fake Messages API)', () => {
  const apiKey = 'sk-ant-test-0123456789abcdef';
  let fake: FakeAnthropic;
  let slowFake: FakeAnthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey });
    slowFake = await startFakeAnthropic({ chunkDelayMs: 400 });
  });
  afterAll(async () => {
    await fake.close();
    await slowFake.close();
  });

  it('streams text deltas and reports the API usage', async () => {
    const runtime = createAnthropicRuntime({ apiKey, baseURL: fake.url, defaultModel: MODEL });
    const prompt = 'summarize the state of the mesh in one line';
    const { result, chunks } = await runCollecting(runtime, task(prompt));
    const reply = `echo: ${prompt}`;
    expect(result.output).toBe(reply);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.join('')).toBe(reply);
    expect(result.usage).toMatchObject({ model: MODEL, inputTokens: fakeTokenCount(prompt), outputTokens: fakeTokenCount(reply) });
    // A model in the price table is priced: sonnet 4 at 3/15 USD per million tokens.
    expect(result.usage?.costUsd).toBeCloseTo((fakeTokenCount(prompt) * 3 + fakeTokenCount(reply) * 15) / 1e6, 10);
    expect(fake.requests.at(-1)).toEqual({ model: MODEL, prompt, stream: true });
  });

  it("uses the task's model and leaves an unknown model unpriced", async () => {
    const runtime = createAnthropicRuntime({ apiKey, baseURL: fake.url, defaultModel: MODEL });
    const { result } = await runCollecting(runtime, task('hi there', 'local-test-model'));
    expect(result.usage).toEqual({ model: 'local-test-model', inputTokens: fakeTokenCount('hi there'), outputTokens: fakeTokenCount('echo: hi there') });
  });

  it('survives an overloaded answer through the SDK retry', async () => {
    const flaky = await startFakeAnthropic({ failFirst: 1 });
    try {
      const runtime = createAnthropicRuntime({ apiKey, baseURL: flaky.url, defaultModel: MODEL });
      const { result } = await runCollecting(runtime, task('try again'));
      expect(result.output).toBe('echo: try again');
      expect(flaky.requests).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });

  it('fails clearly on a wrong key, without the key in the message', async () => {
    const wrongKey = 'sk-ant-wrong-key-9876543210';
    const runtime = createAnthropicRuntime({ apiKey: wrongKey, baseURL: fake.url, defaultModel: MODEL });
    const error = await runtimeErrorOf(runtime.run(task('my private prompt'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(/^anthropic runtime: authentication failed \(HTTP 401/);
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).not.toContain(wrongKey);
    expect(error.message).not.toContain('my private prompt');
  });

  it('fails clearly with no key at all', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, token: process.env.ANTHROPIC_AUTH_TOKEN };
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_AUTH_TOKEN;
    try {
      const runtime = createAnthropicRuntime({ baseURL: fake.url, defaultModel: MODEL });
      const error = await runtimeErrorOf(runtime.run(task('hi'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
      expect(error.reason).toBe('failed');
      expect(error.message).toBe('anthropic runtime: no API key: set ANTHROPIC_API_KEY or pass apiKey');
    } finally {
      if (saved.key !== undefined) process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.token !== undefined) process.env.ANTHROPIC_AUTH_TOKEN = saved.token;
    }
  });

  it('aborts the request on cancel', async () => {
    const runtime = createAnthropicRuntime({ apiKey, baseURL: slowFake.url, defaultModel: MODEL });
    const controller = new AbortController();
    const chunks: string[] = [];
    const started = Date.now();
    const error = await runtimeErrorOf(
      runtime.run(task('a long answer please, with many words in it'), {
        onChunk: (text) => {
          chunks.push(text);
          controller.abort();
        },
        signal: controller.signal,
        timeoutMs: 30_000,
      }),
    );
    expect(error.reason).toBe('aborted');
    expect(chunks).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out', async () => {
    const runtime = createAnthropicRuntime({ apiKey, baseURL: slowFake.url, defaultModel: MODEL });
    const error = await runtimeErrorOf(runtime.run(task('slowly'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('anthropic runtime: timed out after 300 ms');
  });

  it('answers the SDK without streaming too', async () => {
    const client = new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0 });
    const message = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'plain please' }] });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'echo: plain please' })]);
    expect(message.usage).toMatchObject({ input_tokens: fakeTokenCount('plain please'), output_tokens: fakeTokenCount('echo: plain please') });
    expect(fake.requests.at(-1)).toEqual({ model: MODEL, prompt: 'plain please', stream: false });
  });
});

describe('openai runtime (fake OpenAI-compatible server)', () => {
  let fake: FakeOpenAi;
  let keyed: FakeOpenAi;
  let slowFake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    keyed = await startFakeOpenAi({ apiKey: 'sk-openai-test-abcdef123456' });
    slowFake = await startFakeOpenAi({ chunkDelayMs: 400 });
  });
  afterAll(async () => {
    await Promise.all([fake.close(), keyed.close(), slowFake.close()]);
  });

  it('streams content deltas and reports the usage chunk', async () => {
    const runtime = createOpenAiRuntime({ baseURL: `${fake.url}/v1`, defaultModel: 'llama3.2' });
    const prompt = 'list three colours of the rainbow';
    const { result, chunks } = await runCollecting(runtime, task(prompt));
    const reply = `echo: ${prompt}`;
    expect(result).toEqual({ output: reply, usage: { model: 'llama3.2', inputTokens: fakeTokenCount(prompt), outputTokens: fakeTokenCount(reply) } });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests.at(-1)).toEqual({ model: 'llama3.2', prompt, stream: true, includeUsage: true });
  });

  it('takes a bare origin as the /v1 root and sends the key', async () => {
    const runtime = createOpenAiRuntime({ baseURL: keyed.url, apiKey: 'sk-openai-test-abcdef123456', defaultModel: 'gpt-test' });
    const { result } = await runCollecting(runtime, task('hello', 'qwen2.5'));
    expect(result.output).toBe('echo: hello');
    expect(result.usage?.model).toBe('qwen2.5');
  });

  it('fails clearly on a wrong key, without the key in the message', async () => {
    const wrongKey = 'sk-openai-wrong-0000000000';
    const runtime = createOpenAiRuntime({ baseURL: keyed.url, apiKey: wrongKey, defaultModel: 'gpt-test' });
    const error = await runtimeErrorOf(runtime.run(task('hello'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(/^openai runtime: HTTP 401 from http:\/\/127\.0\.0\.1:\d+: Incorrect API key provided; check the API key/);
    expect(error.message).not.toContain(wrongKey);
  });

  it('fails clearly when the server is down', async () => {
    const gone = await startFakeOpenAi();
    await gone.close();
    const runtime = createOpenAiRuntime({ baseURL: `${gone.url}/v1`, defaultModel: 'gpt-test' });
    const error = await runtimeErrorOf(runtime.run(task('hello'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 10_000 }));
    expect(error.reason).toBe('failed');
    expect(error.message).toBe(`openai runtime: request to ${gone.url} failed (ECONNREFUSED)`);
  });

  it('aborts the request on cancel, and times out', async () => {
    const runtime = createOpenAiRuntime({ baseURL: slowFake.url, defaultModel: 'gpt-test' });
    const controller = new AbortController();
    const started = Date.now();
    const aborted = await runtimeErrorOf(runtime.run(task('one two three four five six'), { onChunk: () => controller.abort(), signal: controller.signal, timeoutMs: 30_000 }));
    expect(aborted.reason).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(3_000);
    const timedOut = await runtimeErrorOf(runtime.run(task('one two three'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 300 }));
    expect(timedOut.reason).toBe('timeout');
  });

  it('answers plain (non-streaming) requests too', async () => {
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'plain' }] }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    expect(body.choices[0]?.message.content).toBe('echo: plain');
    expect(body.usage.completion_tokens).toBe(fakeTokenCount('echo: plain'));
  });
});

describe('createRuntime', () => {
  it('makes each runtime by name and refuses unknown names', async () => {
    const made = RUNTIME_NAMES.map((name) =>
      name === 'command'
        ? createRuntime(name, { command: ['cat'] })
        : name === 'openai'
          ? createRuntime(name, { baseURL: 'http://127.0.0.1:1/v1', defaultModel: 'm' })
          : name === 'anthropic'
            ? createRuntime(name, { apiKey: 'k', defaultModel: 'm' })
            : createRuntime(name, {}),
    );
    expect(made.map((runtime) => runtime.name)).toEqual([...RUNTIME_NAMES]);
    const echoed: RuntimeResult = await made[3]!.run(task('through cat'), { onChunk: () => {}, signal: new AbortController().signal, timeoutMs: 5_000 });
    expect(echoed.output).toBe('through cat');
    expect(() => createRuntime('bogus' as 'command', { command: ['cat'] })).toThrow('unknown runtime "bogus"');
  });
});
