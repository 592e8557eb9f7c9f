// The command line of the fake servers when run by hand (`npm run fake:anthropic -- --port N`):
// a fixed default port each, so the URL printed and written in the README stays the same between
// runs; `--port 0` picks a free one. Errors are one line and exit code 2.

export interface FakeServerCommandLine {
  port: number;
  host: string;
}

/** The fixed ports the README names; `--port` overrides them. */
export const FAKE_ANTHROPIC_PORT = 4110;
export const FAKE_OPENAI_PORT = 4111;

export class FakeServerUsageError extends Error {}

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new FakeServerUsageError(`--port must be a whole number from 0 to 65535 (got "${text}")`);
  return port;
}

/** `--port N`, `--port=N`, `--host H`, or a bare port number (the old form); `--help` asks for help. */
export function parseFakeServerCommandLine(argv: readonly string[], defaultPort: number): FakeServerCommandLine | 'help' {
  const result: FakeServerCommandLine = { port: defaultPort, host: '127.0.0.1' };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--help' || argument === '-h') return 'help';
    const [flag, inline] = argument.startsWith('--') ? argument.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (flag === undefined) {
      result.port = portNumber(argument);
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new FakeServerUsageError(`--${flag} needs a value`);
    if (flag === 'port') result.port = portNumber(value);
    else if (flag === 'host') result.host = value;
    else throw new FakeServerUsageError(`unknown option --${flag} (see --help)`);
  }
  return result;
}

export function fakeServerHelp(script: string, what: string, defaultPort: number): string {
  return [`usage: npm run ${script} -- [--port N] [--host H]`, '', `${what}.`, `  --port N   port to listen on (default ${defaultPort}; 0 picks a free one)`, '  --host H   address to listen on (default 127.0.0.1)'].join('\n');
}

/**
 * Runs a fake by hand: parses the command line, starts it, prints where it listens and how to use
 * it, and stops it on SIGINT/SIGTERM.
 */
export async function runFakeServer(options: {
  script: string;
  what: string;
  defaultPort: number;
  start(address: FakeServerCommandLine): Promise<{ url: string; close(): Promise<void> }>;
  usage(url: string): string;
}): Promise<void> {
  let address: FakeServerCommandLine | 'help';
  try {
    address = parseFakeServerCommandLine(process.argv.slice(2), options.defaultPort);
  } catch (error) {
    console.error(`${options.script}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  if (address === 'help') {
    console.log(fakeServerHelp(options.script, options.what, options.defaultPort));
    return;
  }
  let fake: { url: string; close(): Promise<void> };
  try {
    fake = await options.start(address);
  } catch (error) {
    const inUse = (error as { code?: string }).code === 'EADDRINUSE';
    console.error(`${options.script}: ${inUse ? `port ${address.port} is in use; pick another with --port N` : error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log(`${options.what} listening on ${fake.url} (${options.usage(fake.url)})`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
