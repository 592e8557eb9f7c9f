// Child processes of a chaos run: spawned with their output in a log file, tracked so that none outlives the run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  name: string;
  pid: number;
  logFile: string;
  readonly alive: boolean;
  exited: Promise<ExitStatus>;
  /** Resolves with the first match in the process's stdout; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGKILL (a real kill -9), resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after graceMs; resolved once the process is gone. */
  stop(graceMs: number): Promise<ExitStatus>;
}

export interface UnexpectedExit {
  name: string;
  pid: number;
  status: ExitStatus;
  at: number;
}

/** How much of a child's stdout is kept in memory for waitFor (start-up lines come first). */
const SEEN_LIMIT = 256 * 1024;

export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly onExit = () => this.killAll();

  constructor() {
    process.on('exit', this.onExit);
  }

  /** Runs `node --import tsx <entry> ...args` from the project root. */
  spawnTypeScript(name: string, entry: string, args: string[], env: Record<string, string>, logFile: string): ChildHandle {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    this.children.add(child);
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    let seen = '';
    let expected = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (seen.length < SEEN_LIMIT) seen += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
    child.once('close', () => log.end());
    const exited = new Promise<ExitStatus>((resolve) =>
      child.once('exit', (code, signal) => {
        this.children.delete(child);
        if (!expected) this.unexpectedExits.push({ name, pid: child.pid!, status: { code, signal }, at: Date.now() });
        resolve({ code, signal });
      }),
    );
    const handle: ChildHandle = {
      name,
      pid: child.pid,
      logFile,
      get alive() {
        return child.exitCode === null && child.signalCode === null;
      },
      exited,
      waitFor(pattern, timeoutMs) {
        return new Promise((resolve, reject) => {
          const started = Date.now();
          const check = () => {
            const match = pattern.exec(seen);
            if (match) return resolve(match);
            if (!handle.alive) return reject(new Error(`${name} exited before printing ${pattern} (log: ${logFile})`));
            if (Date.now() - started > timeoutMs) return reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms (log: ${logFile})`));
            setTimeout(check, 20);
          };
          check();
        });
      },
      async kill9() {
        expected = true;
        if (handle.alive) process.kill(child.pid!, 'SIGKILL');
        await exited;
      },
      async stop(graceMs) {
        expected = true;
        if (handle.alive) child.kill('SIGTERM');
        const timer = setTimeout(() => handle.alive && child.kill('SIGKILL'), graceMs);
        const status = await exited;
        clearTimeout(timer);
        return status;
      },
    };
    return handle;
  }

  /** Synchronous, so it also works from an 'exit' or signal handler. */
  killAll(): void {
    for (const child of this.children) {
      try {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  get running(): number {
    return this.children.size;
  }

  dispose(): void {
    this.killAll();
    process.off('exit', this.onExit);
  }
}
