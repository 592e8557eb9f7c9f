// The help text, rendered from the command list so every command and flag is documented.
import { GLOBAL_OPTIONS, type OptionSpec } from './args';
import type { CommandSpec } from './command';
import { DEFAULT_HUB_URL } from './connection';

const flag = (option: OptionSpec) => `--${option.name}${option.placeholder ? ` ${option.placeholder}` : ''}`;

function optionLines(options: readonly OptionSpec[]): string[] {
  const width = Math.max(...options.map((option) => flag(option).length));
  return options.map((option) => `  ${flag(option).padEnd(width)}  ${option.description}`);
}

export function renderHelp(commands: readonly CommandSpec[]): string {
  const lines = [
    'mesh: the m3shd operator CLI',
    '',
    'usage: npm run mesh -- <command> [flags]',
    '',
    'Commands:',
  ];
  const width = Math.max(...commands.map((command) => command.name.length));
  for (const command of commands) lines.push(`  ${command.name.padEnd(width)}  ${command.summary}`);
  lines.push('  help'.padEnd(width + 2) + '  this help; `mesh <command> --help` shows one command');
  for (const command of commands) {
    lines.push('', `mesh ${command.usage}`, `  ${command.summary}`);
    for (const detail of command.details ?? []) lines.push(`  ${detail}`);
    if (command.options.length > 0) lines.push(...optionLines(command.options));
  }
  lines.push(
    '',
    'Global flags (any command):',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Environment:',
    `  MESH_HUB    the hub URL (default ${DEFAULT_HUB_URL})`,
    '  MESH_TOKEN  a master or agent token (e.g. one from `mesh token create --preset commander`)',
    '',
    'Results go to stdout; notes and errors go to stderr. An error is one line starting with',
    '"mesh:"; exit codes: 0 success, 1 failure (hub refused, unreachable, task failed), 2 usage error.',
  );
  return lines.join('\n');
}

export function renderCommandHelp(command: CommandSpec): string {
  const lines = [`usage: npm run mesh -- ${command.usage}`, '', command.summary];
  for (const detail of command.details ?? []) lines.push(detail);
  if (command.options.length > 0) lines.push('', 'Flags:', ...optionLines(command.options));
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS));
  return lines.join('\n');
}
