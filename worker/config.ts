// The worker's settings: every flag also readable from a MESH_* variable (flags win), validated
// once; --help documents them all.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AGENT_ID_PATTERN } from '../src/lib/ids';
import { LIMITS } from '../src/lib/limits';
import { DEFAULT_WORKER_MODEL } from '../src/lib/models';

export const RUNTIMES = ['claude-cli', 'anthropic', 'openai', 'command'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

const CPU_COUNT = os.cpus().length || 1;
/** Room for a machine that also does other work; a busy build must not starve the worker for good. */
export const DEFAULT_MAX_LOAD = 4 * CPU_COUNT;

interface OptionSpec {
  flag: string;
  env: string;
  help: string;
  fallback?: string;
  /** How the default is made, when it depends on the machine. */
  fallbackNote?: string;
}

const OPTIONS = {
  hub: { flag: 'hub', env: 'MESH_HUB', help: 'hub URL, e.g. https://mesh.example.com' },
  token: { flag: 'token', env: 'MESH_TOKEN', help: 'agent token (m3shd_ag_…) bound to this agent id; prefer MESH_TOKEN (a flag shows in ps)' },
  id: { flag: 'id', env: 'MESH_AGENT_ID', help: 'agent id, [a-z0-9-]{1,64}' },
  name: { flag: 'name', env: 'MESH_AGENT_NAME', help: 'display name (default: the id)' },
  machine: { flag: 'machine', env: 'MESH_MACHINE', help: 'machine label', fallback: os.hostname() },
  capabilities: { flag: 'capabilities', env: 'MESH_CAPABILITIES', help: 'comma-separated capabilities, e.g. research,code', fallback: '' },
  slots: { flag: 'slots', env: 'MESH_SLOTS', help: 'tasks run at once', fallback: '1' },
  runtime: { flag: 'runtime', env: 'MESH_RUNTIME', help: `model runtime: ${RUNTIMES.join(' | ')}`, fallback: 'claude-cli' },
  command: { flag: 'command', env: 'MESH_COMMAND', help: 'the command for --runtime command (prompt on stdin), or the claude CLI command line for claude-cli' },
  model: { flag: 'model', env: 'MESH_MODEL', help: 'default model of the anthropic and openai runtimes (a task may name its own; claude-cli uses the CLI’s own)', fallback: DEFAULT_WORKER_MODEL },
  maxLoad: {
    flag: 'max-load',
    env: 'MESH_MAX_LOAD',
    help: `claim only while the 1-minute load average is below this; when it is not, the worker logs it and tells the hub in its heartbeats`,
    fallback: String(DEFAULT_MAX_LOAD),
    fallbackNote: `4 × ${CPU_COUNT} cores`,
  },
  heartbeatMs: { flag: 'heartbeat-ms', env: 'MESH_HEARTBEAT_MS', help: 'heartbeat interval', fallback: '15000' },
  claimIntervalMs: { flag: 'claim-interval-ms', env: 'MESH_CLAIM_INTERVAL_MS', help: 'fallback claim timer when no event arrives', fallback: '10000' },
  claimWaitMs: {
    flag: 'claim-wait-ms',
    env: 'MESH_CLAIM_WAIT_MS',
    help: `with a free slot, keep one claim open this long for the hub to answer with new work (long poll, ≤ ${LIMITS.claimWaitMs}); 0: claim only when woken`,
    fallback: '25000',
  },
  taskTimeoutMs: { flag: 'task-timeout-ms', env: 'MESH_TASK_TIMEOUT_MS', help: 'a model run longer than this is killed and reported failed', fallback: '900000' },
  graceMs: { flag: 'grace-ms', env: 'MESH_GRACE_MS', help: 'on SIGTERM, how long running tasks may finish before they are handed off', fallback: '20000' },
  streamFlushMs: { flag: 'stream-flush-ms', env: 'MESH_STREAM_FLUSH_MS', help: 'partial output is sent at least this often', fallback: '250' },
  backoffMaxMs: { flag: 'backoff-max-ms', env: 'MESH_BACKOFF_MAX_MS', help: 'longest wait between reconnect attempts', fallback: '30000' },
  budgetHandoffRatio: { flag: 'budget-handoff-ratio', env: 'MESH_BUDGET_HANDOFF_RATIO', help: 'share of the daily token budget at which running tasks are handed off', fallback: '0.95' },
  outboxDir: { flag: 'outbox-dir', env: 'MESH_OUTBOX_DIR', help: 'where finished results wait while the hub is unreachable (default ~/.m3shd/outbox/<id>)' },
} satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;

export function helpText(): string {
  const lines = ['usage: MESH_TOKEN=<agent token> npm run worker -- --hub URL --id ID [options]', '', 'Joins this machine to an m3shd hub as an agent.', ''];
  for (const option of Object.values(OPTIONS) as OptionSpec[]) {
    const note = option.fallbackNote ? ` = ${option.fallbackNote}` : '';
    const fallback = option.fallback !== undefined && option.fallback !== '' ? ` (default ${option.fallback}${note})` : '';
    lines.push(`  --${option.flag.padEnd(22)} ${option.env.padEnd(26)} ${option.help}${fallback}`);
  }
  lines.push('', 'The anthropic runtime reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL; openai reads OPENAI_BASE_URL and OPENAI_API_KEY.');
  return lines.join('\n');
}

const positiveInt = (name: string) => z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`).positive(`--${name} must be positive`);

const schema = z.object({
  hub: z.url('--hub must be an http(s) URL'),
  token: z.string().min(1, 'MESH_TOKEN (or --token) is required'),
  id: z.string().regex(AGENT_ID_PATTERN, '--id must match [a-z0-9-]{1,64}'),
  name: z.string().optional(),
  machine: z.string(),
  capabilities: z.string().transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean)),
  slots: positiveInt('slots').max(256),
  runtime: z.enum(RUNTIMES, `--runtime must be one of ${RUNTIMES.join(', ')}`),
  command: z.string().optional(),
  model: z.string().min(1),
  maxLoad: z.coerce.number().positive('--max-load must be positive'),
  heartbeatMs: positiveInt('heartbeat-ms'),
  claimIntervalMs: positiveInt('claim-interval-ms'),
  claimWaitMs: z.coerce.number().int('--claim-wait-ms must be a whole number').min(0, '--claim-wait-ms must be 0 or more').max(LIMITS.claimWaitMs, `--claim-wait-ms must be at most ${LIMITS.claimWaitMs}`),
  taskTimeoutMs: positiveInt('task-timeout-ms'),
  graceMs: z.coerce.number().int().min(0, '--grace-ms must be 0 or more'),
  streamFlushMs: positiveInt('stream-flush-ms'),
  backoffMaxMs: positiveInt('backoff-max-ms'),
  budgetHandoffRatio: z.coerce.number().gt(0).max(1, '--budget-handoff-ratio must be in (0, 1]'),
  outboxDir: z.string().optional(),
});

export type WorkerConfig = Omit<z.infer<typeof schema>, 'outboxDir' | 'name'> & { name: string; outboxDir: string };

export class WorkerConfigError extends Error {}

/** Parses argv (`--flag value` or `--flag=value`) over the environment. */
export function parseWorkerConfig(argv: string[], env: Record<string, string | undefined>): WorkerConfig | 'help' {
  const values: Partial<Record<OptionName, string>> = {};
  const byFlag = new Map((Object.entries(OPTIONS) as [OptionName, OptionSpec][]).map(([name, option]) => [option.flag, name]));
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--help' || argument === '-h') return 'help';
    if (!argument.startsWith('--')) throw new WorkerConfigError(`unexpected argument "${argument}" (see --help)`);
    const [flag, inline] = argument.slice(2).split(/=(.*)/s, 2);
    const name = byFlag.get(flag!);
    if (!name) throw new WorkerConfigError(`unknown option --${flag} (see --help)`);
    const value = inline ?? argv[++index];
    if (value === undefined) throw new WorkerConfigError(`--${flag} needs a value`);
    values[name] = value;
  }
  const raw: Record<string, string | undefined> = {};
  for (const [name, option] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    raw[name] = values[name] ?? env[option.env] ?? option.fallback;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]) as OptionName;
    const missing = raw[name] === undefined || (name === 'token' && raw[name] === '');
    const message = !missing
      ? issue.message
      : name === 'token'
        ? 'MESH_TOKEN is required: an agent token bound to this id (npm run -s mesh -- token create --agent <id>)'
        : `--${OPTIONS[name]?.flag ?? name} (or ${OPTIONS[name]?.env ?? ''}) is required`;
    throw new WorkerConfigError(message);
  }
  const config = parsed.data;
  if (config.runtime === 'command' && !config.command) throw new WorkerConfigError('--runtime command needs --command "…"');
  return {
    ...config,
    name: config.name ?? config.id,
    outboxDir: config.outboxDir ?? path.join(os.homedir(), '.m3shd', 'outbox', config.id),
  };
}

/** Splits a command line into argv: whitespace-separated, with '…' and "…" quoting. No shell. */
export function splitCommandLine(commandLine: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of commandLine.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3]!);
  if (parts.length === 0) throw new WorkerConfigError('--command is empty');
  return parts;
}
