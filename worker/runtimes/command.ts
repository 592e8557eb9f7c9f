// The `command` runtime: any program (argv, no shell), prompt on stdin, stdout is the output.
// A program prints no token counts, so the usage is an estimate (estimateUsage). Also the one
// place a runtime runs a process; the claude-cli runtime goes through runProcess.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { missingProgramProblem } from './executable';
import { estimateUsage, RuntimeError, stoppedError, watchRunLimits, type RunOptions, type Runtime, type RuntimeName, type RuntimeResult, type RuntimeTask } from './runtime';

export interface CommandRuntimeOptions {
  /** Program and arguments, e.g. ['ollama', 'run', 'llama3']; run directly, never through a shell. */
  command: string[];
  /** Added to (and overriding) the worker's own environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface ProcessSpec extends CommandRuntimeOptions {
  /** Names the runtime in error messages. */
  runtime: RuntimeName;
}

/** After SIGTERM, how long a process group may take to exit before it gets SIGKILL. */
export const KILL_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 500;

/** Signals every process in the group; false when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs one process to completion: prompt on stdin, stdout streamed to onChunk. The process gets
 * its own process group (detached), so a timeout or cancel reaches whatever it started too (a
 * CLI's helpers, a shell's children): SIGTERM to the group, SIGKILL after KILL_GRACE_MS. A
 * stopped run settles once the process itself has exited.
 */
export function runProcess(spec: ProcessSpec, prompt: string, options: RunOptions): Promise<RuntimeResult> {
  const [program, ...args] = spec.command;
  if (!program) return Promise.reject(new RuntimeError(`${spec.runtime} runtime: no command configured`, 'failed'));
  if (options.signal.aborted) return Promise.reject(stoppedError(spec.runtime, 'aborted', options.timeoutMs));

  return new Promise<RuntimeResult>((resolve, reject) => {
    const child = spawn(program, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.env },
      cwd: spec.cwd,
    });
    let settled = false;
    let output = '';
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;

    const limits = watchRunLimits(options, (reason) => {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      const pid = child.pid;
      // Unref'd: a finished run must not keep the worker alive; the group is killed if it is still there.
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
      // Exited already, only its stdout still held open (by something it started): no exit event is coming.
      if (child.exitCode !== null || child.signalCode !== null) settle(stoppedError(spec.runtime, reason, options.timeoutMs));
    });

    const settle = (error: RuntimeError | null) => {
      if (settled) return;
      settled = true;
      limits.dispose();
      // A pipe held open by a process that escaped the group must not keep the worker busy.
      child.stdout.destroy();
      child.stderr.destroy();
      if (error) reject(error);
      else resolve({ output });
    };

    const stdoutDecoder = new StringDecoder('utf8');
    child.stdout.on('data', (data: Buffer) => {
      const text = stdoutDecoder.write(data);
      if (!text || limits.stopReason) return;
      output += text;
      options.onChunk(text);
    });
    const stderrDecoder = new StringDecoder('utf8');
    child.stderr.on('data', (data: Buffer) => {
      stderrTail = (stderrTail + stderrDecoder.write(data)).slice(-STDERR_TAIL_CHARS);
    });

    // A program that exits without reading stdin makes the write fail with EPIPE; its exit
    // status says what happened, so the write error itself is not the story.
    child.stdin.on('error', () => {});
    child.stdin.end(prompt);

    child.once('error', (error: NodeJS.ErrnoException) => {
      const detail = error.code === 'ENOENT' ? 'not found' : (error.code ?? error.message);
      settle(new RuntimeError(`${spec.runtime} runtime: cannot start "${program}": ${detail}`, 'failed'));
    });

    // Once stopped, the exit is what matters: a grandchild holding stdout open must not delay it.
    child.once('exit', () => {
      if (!limits.stopReason) return;
      // The whole group gone already: no SIGKILL later, which could hit a reused group id.
      if (killTimer && child.pid !== undefined && !signalGroup(child.pid, 0)) clearTimeout(killTimer);
      settle(stoppedError(spec.runtime, limits.stopReason, options.timeoutMs));
    });

    // 'close' (exited and stdio drained) rather than 'exit': the last stdout chunk may follow the exit.
    child.once('close', (code, signal) => {
      if (limits.stopReason) return settle(stoppedError(spec.runtime, limits.stopReason, options.timeoutMs));
      const rest = stdoutDecoder.end();
      if (rest) {
        output += rest;
        options.onChunk(rest);
      }
      if (code === 0) return settle(null);
      stderrTail = (stderrTail + stderrDecoder.end()).slice(-STDERR_TAIL_CHARS).trim();
      const status = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
      settle(new RuntimeError(`${spec.runtime} runtime: "${program}" ${status}${stderrTail ? `: ${stderrTail}` : ''}`, 'failed'));
    });
  });
}

export function createCommandRuntime(options: CommandRuntimeOptions): Runtime {
  if (options.command.length === 0 || !options.command[0]) throw new Error('command runtime: the command is empty');
  return {
    name: 'command',
    startupProblem: async () => missingProgramProblem('command', options.command[0]!, 'check --command (the program and its arguments, no shell)', { ...process.env, ...options.env }, options.cwd),
    async run(task: RuntimeTask, runOptions: RunOptions): Promise<RuntimeResult> {
      const { output } = await runProcess({ ...options, runtime: 'command' }, task.prompt, runOptions);
      return { output, usage: estimateUsage('command', task.prompt, output) };
    },
  };
}
