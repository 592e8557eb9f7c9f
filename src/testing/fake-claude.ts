// A fake `claude --print` for tests and for trying the mesh without Claude Code: prompt on stdin,
// a deterministic reply on stdout in a few timed chunks. Run through src/testing/bin/fake-claude.
// Prompt words steer it: FAIL exits 3 with a stderr line; SLOW prints its first chunk, then waits
// 60 s before the rest (for timeout, cancel and handoff tests).
// Env: FAKE_CLAUDE_DELAY_MS, the pause between chunks (default 20). The wrapper in bin/ also
// honours FAKE_CLAUDE_PID_FILE, so a test can check both processes are gone after a kill.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { echoReply, splitReply } from './fake-anthropic';

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

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const delayMs = Number(process.env.FAKE_CLAUDE_DELAY_MS ?? 20);
  const prompt = (await readStdin()).trim();
  if (prompt.includes('FAIL')) {
    process.stderr.write('fake claude: failing because the prompt asks for it (FAIL)\n');
    return 3;
  }
  const chunks = splitReply(fakeClaudeReply(prompt, modelArgument(process.argv.slice(2))));
  for (const [index, chunk] of chunks.entries()) {
    process.stdout.write(chunk);
    if (index === 0 && prompt.includes('SLOW')) await sleep(FAKE_CLAUDE_SLOW_MS);
    else await sleep(delayMs);
  }
  process.stdout.write('\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main();
}
