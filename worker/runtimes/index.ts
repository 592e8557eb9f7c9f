// Picks a runtime by name, so the worker CLI turns `--runtime <name>` into one Runtime object.
import { createAnthropicRuntime, type AnthropicRuntimeOptions } from './anthropic';
import { createClaudeCliRuntime, type ClaudeCliRuntimeOptions } from './claude-cli';
import { createCommandRuntime, type CommandRuntimeOptions } from './command';
import { createOpenAiRuntime, type OpenAiRuntimeOptions } from './openai';
import type { Runtime, RuntimeName } from './runtime';

export type { AnthropicRuntimeOptions, ClaudeCliRuntimeOptions, CommandRuntimeOptions, OpenAiRuntimeOptions };
export { RuntimeError, type RunOptions, type Runtime, type RuntimeName, type RuntimeResult, type RuntimeTask, type RuntimeUsage } from './runtime';

export const RUNTIME_NAMES: readonly RuntimeName[] = ['claude-cli', 'anthropic', 'openai', 'command'];

export interface RuntimeOptionsByName {
  'claude-cli': ClaudeCliRuntimeOptions;
  anthropic: AnthropicRuntimeOptions;
  openai: OpenAiRuntimeOptions;
  command: CommandRuntimeOptions;
}

export function isRuntimeName(value: string): value is RuntimeName {
  return (RUNTIME_NAMES as readonly string[]).includes(value);
}

/** Throws a plain Error (for the CLI to print) on an unknown name or unusable options. */
export function createRuntime<Name extends RuntimeName>(name: Name, options: RuntimeOptionsByName[Name]): Runtime {
  switch (name) {
    case 'claude-cli':
      return createClaudeCliRuntime(options as ClaudeCliRuntimeOptions);
    case 'anthropic':
      return createAnthropicRuntime(options as AnthropicRuntimeOptions);
    case 'openai':
      return createOpenAiRuntime(options as OpenAiRuntimeOptions);
    case 'command':
      return createCommandRuntime(options as CommandRuntimeOptions);
    default:
      throw new Error(`unknown runtime "${String(name)}": expected one of ${RUNTIME_NAMES.join(', ')}`);
  }
}
