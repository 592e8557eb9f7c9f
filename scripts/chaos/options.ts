// The chaos run's settings from the command line (`--flag value` or `--flag=value`), with defaults sized for `npm run chaos`.

export interface ChaosOptions {
  tasks: number;
  hubKills: number;
  workerKills: number;
  workers: number;
  slots: number;
  batchSize: number;
  backlog: number;
  port: number;
  seed: number;
  /** Pause inside each task's command, so kills catch tasks mid-run (0: none). */
  taskMs: number;
  /** Worker heartbeat and claim-timer intervals; undefined = the worker's defaults (15 s, 10 s). */
  heartbeatMs?: number;
  claimIntervalMs?: number;
  /** Time between a hub kill and its restart. */
  restartDelayMs: number;
  /** A kill waits at least this long after the previous kill's process is back, so one kill's recovery is not blurred by the next. */
  minGapSeconds: number;
  /** The whole drain must finish within this. */
  timeoutSeconds: number;
  /** Stop when no task finished for this long. */
  stallSeconds: number;
  /** Keep the run directory (data, logs, outboxes) even when every check passed. */
  keep: boolean;
  /** Print each step as it happens. */
  verbose: boolean;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  tasks: 2000,
  hubKills: 1,
  workerKills: 2,
  workers: 4,
  slots: 2,
  batchSize: 100,
  backlog: 400,
  port: 3977,
  seed: 0,
  taskMs: 0,
  restartDelayMs: 1000,
  minGapSeconds: 5,
  timeoutSeconds: 900,
  stallSeconds: 120,
  keep: false,
  verbose: true,
};

const NUMERIC: Record<string, keyof ChaosOptions> = {
  tasks: 'tasks',
  'hub-kills': 'hubKills',
  'worker-kills': 'workerKills',
  workers: 'workers',
  slots: 'slots',
  batch: 'batchSize',
  backlog: 'backlog',
  port: 'port',
  seed: 'seed',
  'task-ms': 'taskMs',
  'heartbeat-ms': 'heartbeatMs',
  'claim-interval-ms': 'claimIntervalMs',
  'restart-delay-ms': 'restartDelayMs',
  'min-gap-s': 'minGapSeconds',
  'timeout-s': 'timeoutSeconds',
  'stall-s': 'stallSeconds',
};

export const USAGE = `usage: npm run chaos -- [--tasks N] [--hub-kills K] [--worker-kills W] [--workers 4] [options]

Starts a hub and command workers as real processes, creates N tasks, kill -9s the hub K times
and a random worker W times during the run, waits for the drain and checks from the database
that every task was done exactly once. Exits 1 when a check fails.

  --tasks N              tasks to create (default ${DEFAULT_OPTIONS.tasks})
  --hub-kills K          hub kill -9s, each restarted after --restart-delay-ms (default ${DEFAULT_OPTIONS.hubKills})
  --worker-kills W       worker kill -9s, each restarted at once as a new process (default ${DEFAULT_OPTIONS.workerKills})
  --workers N            worker processes (default ${DEFAULT_OPTIONS.workers})
  --slots N              slots per worker (default ${DEFAULT_OPTIONS.slots})
  --batch N              tasks per tasks.createMany (default ${DEFAULT_OPTIONS.batchSize})
  --backlog N            unfinished tasks the producer stays ahead by (default ${DEFAULT_OPTIONS.backlog})
  --port N               the hub's port, the same across restarts (default ${DEFAULT_OPTIONS.port})
  --seed N               seed for the choice of worker to kill (default: random)
  --task-ms N            pause inside each task's command (default 0)
  --heartbeat-ms N       worker heartbeat interval (default: the worker's, 15000)
  --claim-interval-ms N  worker fallback claim timer (default: the worker's, 10000)
  --restart-delay-ms N   hub down time after a kill (default ${DEFAULT_OPTIONS.restartDelayMs})
  --min-gap-s N          a kill waits this long after the previous one is back (default ${DEFAULT_OPTIONS.minGapSeconds})
  --timeout-s N          overall drain timeout (default ${DEFAULT_OPTIONS.timeoutSeconds})
  --stall-s N            give up when nothing finished for this long (default ${DEFAULT_OPTIONS.stallSeconds})
  --keep                 keep the run directory (data dir, logs, outboxes) even on success
  --quiet                print only the report`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[]): ChaosOptions | 'help' {
  const options: ChaosOptions = { ...DEFAULT_OPTIONS, seed: Math.floor(Math.random() * 2 ** 31) };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--help' || argument === '-h') return 'help';
    if (argument === '--keep') {
      options.keep = true;
      continue;
    }
    if (argument === '--quiet') {
      options.verbose = false;
      continue;
    }
    if (!argument.startsWith('--')) throw new OptionsError(`unexpected argument "${argument}" (see --help)`);
    const [flag, inline] = argument.slice(2).split(/=(.*)/s, 2);
    const key = NUMERIC[flag!];
    if (!key) throw new OptionsError(`unknown option --${flag} (see --help)`);
    const raw = inline ?? argv[++index];
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < 0) throw new OptionsError(`--${flag} needs a whole number ≥ 0`);
    (options as unknown as Record<string, number>)[key] = value;
  }
  if (options.tasks < 1) throw new OptionsError('--tasks must be at least 1');
  if (options.workers < 1) throw new OptionsError('--workers must be at least 1');
  if (options.slots < 1) throw new OptionsError('--slots must be at least 1');
  if (options.batchSize < 1 || options.batchSize > 500) throw new OptionsError('--batch must be from 1 to 500');
  if (options.port < 1 || options.port > 65535) throw new OptionsError('--port must be a TCP port');
  return options;
}
