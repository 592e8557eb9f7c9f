// The operator CLI, `npm run mesh -- <command>`: status, agents, tasks, task, post, chat, tail and
// tokens, against a hub named by --hub/MESH_HUB with a token from --token/MESH_TOKEN.
// Every error is one line on stderr; exit codes are 0 success, 1 failure, 2 usage error.
import { checkOptions, GLOBAL_OPTIONS, parseCommandLine, UsageError } from './cli/args';
import type { CommandSpec } from './cli/command';
import { agentsCommand } from './cli/commands/agents';
import { chatCommand } from './cli/commands/chat';
import { postCommand } from './cli/commands/post';
import { statusCommand } from './cli/commands/status';
import { tailCommand } from './cli/commands/tail';
import { taskCommand } from './cli/commands/task';
import { tasksCommand } from './cli/commands/tasks';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './cli/commands/token';
import { DEFAULT_HUB_URL, displayUrl, HubConnection, REQUEST_TIMEOUT_SECONDS, resolveHubSettings } from './cli/connection';
import { describeError } from './cli/errors';
import { renderCommandHelp, renderHelp } from './cli/help';
import { processOutput, type Output } from './cli/output';

const COMMANDS: readonly CommandSpec[] = [
  statusCommand,
  agentsCommand,
  tasksCommand,
  taskCommand,
  postCommand,
  chatCommand,
  tailCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
];

/** The command named by the leading words: `token create` takes two, the rest one. */
function findCommand(words: readonly string[]): { command: CommandSpec; args: string[] } | undefined {
  for (const command of COMMANDS) {
    const name = command.name.split(' ');
    if (name.every((word, index) => words[index] === word)) return { command, args: words.slice(name.length) };
  }
  return undefined;
}

async function run(argv: readonly string[], out: Output, context: { hubUrl: string; token?: string }): Promise<number> {
  const allOptions = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((command) => command.options)];
  const { words, options } = parseCommandLine(argv, allOptions);
  if (words.length === 0 || words[0] === 'help') {
    const topic = words.length > 1 ? findCommand(words.slice(1)) : undefined;
    out.line(topic ? renderCommandHelp(topic.command) : renderHelp(COMMANDS));
    return 0;
  }
  const found = findCommand(words);
  if (!found && options.help === true) {
    out.line(renderHelp(COMMANDS));
    return 0;
  }
  if (!found) {
    if (words[0] === 'token') throw new UsageError(`mesh token needs create, list or revoke${words[1] ? ` (got "${words[1]}")` : ''}`);
    throw new UsageError(`unknown command "${words[0]}"`);
  }
  if (options.help === true) {
    out.line(renderCommandHelp(found.command));
    return 0;
  }
  checkOptions(found.command.name, options, found.command.options);
  const settings = resolveHubSettings(options, process.env);
  context.hubUrl = displayUrl(settings.url);
  context.token = settings.token;
  return found.command.run({ args: found.args, options, hub: new HubConnection(settings), out });
}

async function main(): Promise<void> {
  const out = processOutput();
  // Known before parsing so even a parse error is reported against the right hub.
  const context: { hubUrl: string; token?: string } = { hubUrl: displayUrl(process.env.MESH_HUB || DEFAULT_HUB_URL), token: process.env.MESH_TOKEN };
  const report = (error: unknown) => {
    const { message, exitCode } = describeError(error, { ...context, requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS });
    out.note(`mesh: ${message}`);
    return exitCode;
  };
  // Anything escaping a command (a library's stray rejection) still ends as one line.
  const exitOnStray = async (error: unknown) => {
    const code = report(error);
    await out.flush();
    process.exit(code);
  };
  process.on('unhandledRejection', exitOnStray);
  process.on('uncaughtException', exitOnStray);

  let exitCode: number;
  try {
    exitCode = await run(process.argv.slice(2), out, context);
  } catch (error) {
    exitCode = report(error);
  }
  await out.flush();
  // Open sockets (keep-alive, the event stream) would keep the process alive after the answer.
  process.exit(exitCode);
}

void main();
