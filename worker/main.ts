// `npm run worker -- --hub URL --token TOKEN --id ID [...]`: joins this machine to the mesh.
// SIGTERM/SIGINT stop claiming, let running tasks finish within the grace period and hand off
// the rest, tell the hub the agent goes offline, then exit (0). A worker that a newer process of
// the same agent replaced stops its tasks and exits with 1.
import { parseWorkerConfig, splitCommandLine, WorkerConfigError, helpText, type WorkerConfig } from './config';
import { createRuntime } from './runtimes';
import type { Runtime } from './runtimes/runtime';
import { Worker } from './worker';

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
  const worker = new Worker(config, runtimeFor(config));
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
    const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
    console.error(`worker: the hub refused to register this agent${status ? ` (${status})` : ''}: ${error instanceof Error ? error.message : 'unknown error'}`);
    process.exit(1);
  }
}

void main();
