// What a mesh command is: its words, usage, help text, flags and what it does. mesh.ts keeps the
// list, parses the command line against it and renders help from it, so help cannot drift.
import type { OptionSpec, OptionValues } from './args';
import type { HubConnection } from './connection';
import type { Output } from './output';

export interface CommandContext {
  /** The words after the command's own (the prompt of `task`, the id of `token revoke`). */
  args: string[];
  options: OptionValues;
  hub: HubConnection;
  out: Output;
}

export interface CommandSpec {
  /** The command words, e.g. `status` or `token create`. */
  name: string;
  /** What follows `mesh` in the usage line, e.g. `task "prompt" [--wait]`. */
  usage: string;
  summary: string;
  /** More lines for `mesh <command> --help`. */
  details?: string[];
  options: OptionSpec[];
  /** Resolves with the exit code. */
  run(context: CommandContext): Promise<number>;
}
