// `npm run chaos -- [--tasks N] [--hub-kills K] [--worker-kills W] [--workers 4]`: the kill -9 recovery harness; exits 1 when a check fails.
import { OptionsError, parseOptions, USAGE } from './options';
import { ProcessGroup } from './processes';
import { runChaos } from './run';

async function main(): Promise<void> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`chaos: ${error instanceof OptionsError ? error.message : String(error)}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const group = new ProcessGroup();
  let runDir: string | null = null;
  // Ctrl-C or a supervisor's SIGTERM: nothing of the run may stay behind.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\nchaos: ${signal}: killing the hub and workers`);
      group.killAll();
      if (runDir) console.error(`chaos: the run directory is left for inspection: ${runDir}`);
      process.exit(130);
    });
  }
  const result = await runChaos(options, { group, onRunDir: (dir) => (runDir = dir) });
  group.dispose();
  console.log(result.report);
  process.exit(result.ok ? 0 : 1);
}

void main();
