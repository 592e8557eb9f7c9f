// The `claude-cli` runtime: Claude Code in print mode (`claude --print`), prompt on stdin,
// run through the command runtime's process handling (process group, timeout, cancel).
import { runProcess } from './command';
import type { RunOptions, Runtime, RuntimeTask } from './runtime';

export const DEFAULT_CLAUDE_COMMAND: readonly string[] = ['claude', '--print', '--dangerously-skip-permissions'];

export interface ClaudeCliRuntimeOptions {
  /** Program and arguments; the task's model is appended as `--model <m>`. */
  command?: string[];
  /** Added to (and overriding) the worker's own environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function createClaudeCliRuntime(options: ClaudeCliRuntimeOptions = {}): Runtime {
  const command = options.command && options.command.length > 0 ? options.command : [...DEFAULT_CLAUDE_COMMAND];
  return {
    name: 'claude-cli',
    run(task: RuntimeTask, runOptions: RunOptions) {
      // The CLI prints text only, so there is no usage to report; the model is the CLI's
      // default unless the task names one.
      const modelArgs = task.model ? ['--model', task.model] : [];
      return runProcess({ runtime: 'claude-cli', command: [...command, ...modelArgs], env: options.env, cwd: options.cwd }, task.prompt, runOptions);
    },
  };
}
