// The `claude-cli` runtime: Claude Code in print mode (`claude --print`), prompt on stdin,
// run through the command runtime's process handling (process group, timeout, cancel).
// It asks for `--output-format stream-json --verbose` (unless the command line names an output
// format itself): each assistant message streams as it arrives, and the closing result event
// carries the answer and the token usage. A CLI that prints text (an older one, or
// `--output-format text` on the command line) still works; its usage is then estimated.
import { findModelPrice } from '../../src/lib/prices';
import { ClaudeOutputParser, type ClaudeUsage } from './claude-output';
import { runProcess } from './command';
import { missingProgramProblem } from './executable';
import { estimateUsage, RuntimeError, type RunOptions, type Runtime, type RuntimeResult, type RuntimeTask, type RuntimeUsage } from './runtime';

export const DEFAULT_CLAUDE_COMMAND: readonly string[] = ['claude', '--print', '--dangerously-skip-permissions'];

/** Added when the command line names no output format; print mode wants --verbose with stream-json. */
export const CLAUDE_JSON_OUTPUT_ARGS: readonly string[] = ['--output-format', 'stream-json', '--verbose'];

/** The CLI's name for usage whose model it did not name (and the task named none). */
const UNNAMED_CLI_MODEL = 'claude-cli';

export interface ClaudeCliRuntimeOptions {
  /** Program and arguments; the task's model is appended as `--model <m>`. */
  command?: string[];
  /** Added to (and overriding) the worker's own environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

function namesOutputFormat(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--output-format' || arg.startsWith('--output-format='));
}

/** The command line for one task: the configured one, JSON output unless it chose a format, the model. */
export function claudeCommandLine(command: readonly string[], model?: string | null): string[] {
  return [...command, ...(namesOutputFormat(command) ? [] : CLAUDE_JSON_OUTPUT_ARGS), ...(model ? ['--model', model] : [])];
}

function usageFromCli(usage: ClaudeUsage, taskModel: string | null | undefined): RuntimeUsage {
  const model = usage.model ?? taskModel ?? UNNAMED_CLI_MODEL;
  const tokens = { model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  // The hub prices models it knows itself; the CLI's own figure matters for the others.
  return usage.costUsd !== null && !findModelPrice(model) ? { ...tokens, costUsd: usage.costUsd } : tokens;
}

export function createClaudeCliRuntime(options: ClaudeCliRuntimeOptions = {}): Runtime {
  const command = options.command && options.command.length > 0 ? options.command : [...DEFAULT_CLAUDE_COMMAND];
  return {
    name: 'claude-cli',
    startupProblem: async () =>
      missingProgramProblem(
        'claude-cli',
        command[0]!,
        'install Claude Code (npm install -g @anthropic-ai/claude-code) and sign in, or choose another runtime: --runtime command, anthropic or openai',
        { ...process.env, ...options.env },
        options.cwd,
      ),
    async run(task: RuntimeTask, runOptions: RunOptions): Promise<RuntimeResult> {
      const parser = new ClaudeOutputParser(runOptions.onChunk);
      try {
        await runProcess({ runtime: 'claude-cli', command: claudeCommandLine(command, task.model), env: options.env, cwd: options.cwd }, task.prompt, {
          ...runOptions,
          onChunk: (raw) => parser.push(raw),
        });
      } catch (error) {
        // In JSON mode the CLI says why it failed on stdout, not stderr.
        const said = error instanceof RuntimeError && error.reason === 'failed' ? parser.finish().error : null;
        if (said) throw new RuntimeError(`${error instanceof Error ? error.message : 'claude-cli runtime failed'} (${said.slice(0, 300)})`, 'failed');
        throw error;
      }
      const outcome = parser.finish();
      if (outcome.error) throw new RuntimeError(`claude-cli runtime: the CLI reported an error: ${outcome.error.slice(0, 300)}`, 'failed');
      const usage = outcome.usage ? usageFromCli(outcome.usage, task.model) : estimateUsage('claude-cli', task.prompt, outcome.output, task.model);
      return { output: outcome.output, usage };
    },
  };
}
