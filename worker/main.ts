// `MESH_TOKEN=… npm run worker -- --hub URL --id ID [...]`: joins this machine to the mesh. It
// refuses to start, in one line, when its runtime cannot run (no `claude`, no API key, a missing
// program) or the hub refuses it (wrong token, another agent's token).
// SIGTERM/SIGINT stop claiming, let running tasks finish within the grace period and hand off
// the rest, tell the hub the agent goes offline, then exit (0). A worker that a newer process of
// the same agent replaced stops its tasks and exits with 1.
import { parseWorkerConfig, splitCommandLine, WorkerConfigError, helpText, type WorkerConfig } from './config';
import { createRuntime } from './runtimes';
import type { Runtime } from './runtimes/runtime';
import { describeHubFailure } from './hub-failure';
import { Worker } from './worker';

/** `--token X` or `--token=X`: the token is then in the process list and in npm's echo of the command. */
function tokenGivenAsFlag(argv: readonly string[]): boolean {
  return argv.some((argument) => argument === '--token' || argument.startsWith('--token='));
}

function runtimeFor(config: WorkerConfig): Runtime {
  switch (config.runtime) {
    case 'command':
      return createRuntime('command', { command: splitCommandLine(config.command!) });
    case 'claude-cli':
      return createRuntime('claude-cli', { command: config.command ? splitCommandLine(config.command) : undefined });
    case 'anthropic':
      return createRuntime('anthropic', { defaultModel: config.model });
    case 'openai':
      return createRuntime('openai', { defaultModel: config.model });
  }
}

async function main(): Promise<void> {
  let config: WorkerConfig | 'help';
  try {
    config = parseWorkerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`worker: ${error instanceof WorkerConfigError ? error.message : 'invalid settings'}`);
    process.exit(2);
  }
  if (config === 'help') {
    console.log(helpText());
    return;
  }
  if (tokenGivenAsFlag(process.argv.slice(2))) {
    console.error('worker: warning: --token on the command line is visible to other users of this machine (ps) and echoed by npm; pass it in MESH_TOKEN instead');
  }
  // The runtime must be able to run at all before this machine joins and claims tasks.
  let runtime: Runtime;
  try {
    runtime = runtimeFor(config);
  } catch (error) {
    console.error(`worker: ${error instanceof Error ? error.message : 'the runtime cannot start'}`);
    process.exit(2);
  }
  const problem = await runtime.startupProblem();
  if (problem) {
    console.error(`worker: ${problem}`);
    process.exit(2);
  }
  const worker = new Worker(config, runtime);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker ${config.id}] ${signal}: finishing running tasks`);
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  void worker.replaced.then(() => {
    if (!stopping) process.exit(1);
  });
  try {
    await worker.start();
  } catch (error) {
    console.error(`worker: cannot register agent ${config.id}: ${describeHubFailure(error, config.hub)}`);
    process.exit(1);
  }
}

void main();
