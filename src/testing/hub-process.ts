// Runs server.ts (or a script) as a real child process for tests that need one: start-up
// output, exit codes, signals.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export interface HubProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  errors(): string;
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runTypeScript(entry: string, args: string[], env: Record<string, string>): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(entry), ...args], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    exited: () => exit,
    waitForOutput(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (stdout.includes(text)) return resolve();
          if (child.exitCode !== null) return reject(new Error(`process exited (${child.exitCode}) before printing "${text}": ${stderr}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for "${text}"`));
          setTimeout(check, 25);
        };
        check();
      });
    },
  };
}

export async function runToCompletion(entry: string, args: string[], env: Record<string, string>) {
  const process = runTypeScript(entry, args, env);
  const { code } = await process.exited();
  return { code, stdout: process.output(), stderr: process.errors() };
}
