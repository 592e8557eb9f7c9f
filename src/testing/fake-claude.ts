// A fake `claude --print` for tests and for trying the mesh without Claude Code: prompt on stdin,
// a deterministic reply on stdout in a few timed chunks. Run through src/testing/bin/fake-claude.
// Prompt words steer it: FAIL exits 3 with a stderr line; SLOW prints its first chunk, then waits
// 60 s before the rest (for timeout, cancel and handoff tests); CLI_ERROR (JSON output only)
// prints an is_error result event and exits 1 with nothing on stderr, as the real CLI does.
// `--output-format json` prints one result event at the end, `stream-json` an event a line (an
// assistant message per chunk, then the result), both with usage: the fakes' token counts,
// `modelUsage` under the --model when one was given, and a made-up `total_cost_usd`.
// Env: FAKE_CLAUDE_DELAY_MS, the pause between chunks (default 20). FAKE_CLAUDE_SCRIPT, a JSON
// array of replies by conversation turn (as the fake APIs' `script`): the turn is the number of
// earlier answers in a [TOOL_CALL] transcript prompt (worker/tool-loop.ts); the last repeats. The wrapper in bin/ also
// honours FAKE_CLAUDE_PID_FILE, so a test can check both processes are gone after a kill.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { echoReply, fakeTokenCount, splitReply } from './fake-anthropic';

/** The executable a claude-cli runtime can run in place of `claude`. */
export const FAKE_CLAUDE_BIN = path.join(import.meta.dirname, 'bin', 'fake-claude');

export const FAKE_CLAUDE_SLOW_MS = 60_000;

/** What the fake prints for a prompt: the fakes' echo, plus the model when one was asked for. */
export function fakeClaudeReply(prompt: string, model: string | null): string {
  return model ? `${echoReply(prompt)} (model ${model})` : echoReply(prompt);
}

/** The `--model` value among claude's arguments; the other flags are accepted and ignored. */
export function modelArgument(args: string[]): string | null {
  const index = args.indexOf('--model');
  if (index !== -1) return args[index + 1] ?? null;
  const inline = args.find((arg) => arg.startsWith('--model='));
  return inline ? inline.slice('--model='.length) : null;
}

/** The `--output-format` value among claude's arguments; text when none. */
export function outputFormatArgument(args: string[]): 'text' | 'json' | 'stream-json' {
  const index = args.indexOf('--output-format');
  const value = index !== -1 ? args[index + 1] : args.find((arg) => arg.startsWith('--output-format='))?.slice('--output-format='.length);
  return value === 'json' || value === 'stream-json' ? value : 'text';
}

/** The fake's made-up price: a millionth of a dollar a token. */
export function fakeClaudeCostUsd(prompt: string, reply: string): number {
  return (fakeTokenCount(prompt) + fakeTokenCount(reply)) / 1e6;
}

function resultEvent(prompt: string, reply: string, model: string | null): Record<string, unknown> {
  const usage = { input_tokens: fakeTokenCount(prompt), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: fakeTokenCount(reply) };
  return {
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: 1,
    num_turns: 1,
    result: reply,
    session_id: 'fake-session',
    total_cost_usd: fakeClaudeCostUsd(prompt, reply),
    usage,
    ...(model ? { modelUsage: { [model]: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } } } : {}),
  };
}

/** The scripted reply for this prompt's turn, when FAKE_CLAUDE_SCRIPT is set. */
function scriptedReply(prompt: string): string | null {
  if (!process.env.FAKE_CLAUDE_SCRIPT) return null;
  const script = JSON.parse(process.env.FAKE_CLAUDE_SCRIPT) as string[];
  const turn = prompt.split('[YOUR EARLIER ANSWER]').length - 1;
  return script[Math.min(turn, script.length - 1)] ?? null;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const delayMs = Number(process.env.FAKE_CLAUDE_DELAY_MS ?? 20);
  const args = process.argv.slice(2);
  const format = outputFormatArgument(args);
  const model = modelArgument(args);
  const prompt = (await readStdin()).trim();
  const line = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
  if (prompt.includes('FAIL')) {
    process.stderr.write('fake claude: failing because the prompt asks for it (FAIL)\n');
    return 3;
  }
  if (prompt.includes('CLI_ERROR') && format !== 'text') {
    line({ type: 'result', subtype: 'error_during_execution', is_error: true, result: 'fake claude: the API refused the request' });
    return 1;
  }
  const reply = scriptedReply(prompt) ?? fakeClaudeReply(prompt, model);
  if (format === 'stream-json') line({ type: 'system', subtype: 'init', session_id: 'fake-session', model: model ?? 'fake-default' });
  for (const [index, chunk] of splitReply(reply).entries()) {
    if (format === 'text') process.stdout.write(chunk);
    else if (format === 'stream-json') line({ type: 'assistant', message: { model: model ?? 'fake-default', role: 'assistant', content: [{ type: 'text', text: chunk }] } });
    if (index === 0 && prompt.includes('SLOW')) await sleep(FAKE_CLAUDE_SLOW_MS);
    else await sleep(delayMs);
  }
  if (format === 'text') process.stdout.write('\n');
  else line(resultEvent(prompt, reply, model));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main();
}
