// Command-line parsing for the mesh CLI: global flags, the command words, each command's flags,
// and the checks that turn a bad value into a usage error (exit code 2) before any hub call.
import { parseArgs } from 'node:util';

/** A mistake in how the CLI was called: reported as one line and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  name: string;
  kind: 'string' | 'boolean';
  /** The placeholder shown in help, e.g. `--limit N`. */
  placeholder?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'hub', kind: 'string', placeholder: 'URL', description: 'the hub to talk to (default: $MESH_HUB, else http://localhost:3000)' },
  { name: 'token', kind: 'string', placeholder: 'TOKEN', description: 'bearer token (default: $MESH_TOKEN; prefer the variable: flags show up in `ps`)' },
  { name: 'help', kind: 'boolean', description: 'show help (for one command: mesh <command> --help)' },
];

export interface ParsedCommandLine {
  /** The command words and their arguments, in order (`token`, `create`, ...). */
  words: string[];
  options: OptionValues;
}

/**
 * Parses every flag any command knows, wherever it appears (`mesh --hub X status` and
 * `mesh status --hub X` both work); which flags a command accepts is checked afterwards by
 * `checkOptions`, so the message can name the command.
 */
export function parseCommandLine(argv: readonly string[], knownOptions: readonly OptionSpec[]): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const option of knownOptions) options[option.name] = { type: option.kind };
  options.help = { type: 'boolean', short: 'h' };
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { words: parsed.positionals, options: parsed.values as OptionValues };
  } catch (error) {
    // parseArgs explains some mistakes at length; the first sentence says what went wrong.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/\. To specify .*$/, '').replace(/\.$/, ''));
  }
}

/** Refuses flags that exist but do not belong to this command. */
export function checkOptions(command: string, options: OptionValues, allowed: readonly OptionSpec[]): void {
  const names = new Set([...GLOBAL_OPTIONS, ...allowed].map((option) => option.name));
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !names.has(name)) throw new UsageError(`mesh ${command} has no --${name} option`);
  }
}

export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer flag within [min, max], or undefined when absent. */
export function integerOption(options: OptionValues, name: string, range: { min: number; max: number }): number | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max} (got "${text}")`);
  }
  return value;
}

/** A positive number of seconds (fractions allowed), or undefined when absent. */
export function secondsOption(options: OptionValues, name: string, max = 7 * 24 * 3600): number | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`--${name} must be a number of seconds above 0 (got "${text}")`);
  }
  return value;
}

/** One of a fixed set of values, or undefined when absent. */
export function choiceOption<TChoice extends string>(options: OptionValues, name: string, choices: readonly TChoice[]): TChoice | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${text}")`);
  return text as TChoice;
}

/** A comma-separated list: `a,b` → ['a', 'b'] (empty entries dropped). */
export function listOption(options: OptionValues, name: string): string[] | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return items;
}

/**
 * The free text of `task` and `post`: the remaining words joined with spaces, so both
 * `mesh post "hello all"` and `mesh post hello all` send "hello all".
 */
export function requireText(words: readonly string[], what: string, command: string): string {
  const text = words.join(' ');
  if (text.trim().length === 0) throw new UsageError(`mesh ${command} needs ${what}, e.g. mesh ${command} "…"`);
  return text;
}
