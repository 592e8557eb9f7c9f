// A peer's workers in their own node process (so its RSS can be read): the parent's handle and the child's side of the IPC protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssMegabytes, sleep } from './common';

export interface WorkerProcessConfig {
  workers: number;
  concurrency: number;
  /** The queue the workers consume. */
  queue: string;
}

type ChildMessage = { type: 'ready' } | { type: 'completed'; count: number } | { type: 'failed'; message: string };
type ParentMessage = { type: 'stop' };

export interface WorkerProcess {
  pid: number;
  /** How the child runs: `node` (bundled entry) or `node --import tsx`. */
  how: string;
  /** Jobs the child has finished (completed in its queue) so far. */
  completed(): number;
  rssMegabytes(): number;
  stop(): Promise<void>;
}

/** Where bundled entries go: inside node_modules, so that their bare imports (bullmq, pg-boss) resolve to the installed packages. */
const BUILD_DIR = fileURLToPath(new URL('../../../node_modules/.cache/m3shd-bench-peers/', import.meta.url));

/**
 * The entry bundled to plain JavaScript (packages stay external) so the child runs under bare node,
 * as a deployed worker would, without tsx's loader in its RSS; falls back to tsx if esbuild is missing.
 */
async function runnable(entry: URL): Promise<{ args: string[]; how: string }> {
  const source = fileURLToPath(entry);
  try {
    const esbuild = await import('esbuild');
    const outfile = path.join(BUILD_DIR, `${path.basename(source, '.ts')}.mjs`);
    fs.mkdirSync(BUILD_DIR, { recursive: true });
    await esbuild.build({ entryPoints: [source], outfile, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
    return { args: [outfile], how: 'node' };
  } catch {
    return { args: ['--import', 'tsx', source], how: 'node --import tsx' };
  }
}

/** Spawns `entry` in a node process (its pid is the one measured) and waits until its workers are ready. */
export async function startWorkerProcess(entry: URL, config: WorkerProcessConfig): Promise<WorkerProcess> {
  const { args, how } = await runnable(entry);
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, BENCH_PEER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let completed = 0;
  let failure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${entry.pathname}: workers not ready in 30 s`)), 30_000);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'completed') completed += message.count;
      else if (message.type === 'failed') {
        failure ??= message.message;
        reject(new Error(message.message));
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry.pathname} exited with ${code} before it was ready`)));
  })
    .catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    })
    .finally(() => clearTimeout(timer));
  child.once('exit', (code, signal) => (failure ??= `exited with ${code ?? signal}`));
  return {
    pid: child.pid!,
    how,
    completed() {
      if (failure) throw new Error(`worker process: ${failure}`);
      return completed;
    },
    rssMegabytes: () => rssMegabytes(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ParentMessage);
      const timeout = sleep(10_000).then(() => 'timeout');
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * The child's side: reads its config, starts the workers with `start`, which gets a `completed()`
 * callback to call once per finished job (counts are coalesced per tick into one IPC message),
 * and returns a function that closes them.
 */
export async function runWorkerProcess(start: (config: WorkerProcessConfig, completed: () => void) => Promise<() => Promise<void>>): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  try {
    const config = JSON.parse(process.env.BENCH_PEER_CONFIG ?? '') as WorkerProcessConfig;
    let unsent = 0;
    const flush = () => {
      send({ type: 'completed', count: unsent });
      unsent = 0;
    };
    const close = await start(config, () => {
      if (unsent === 0) setImmediate(flush);
      unsent += 1;
    });
    process.on('message', async (message: ParentMessage) => {
      if (message.type !== 'stop') return;
      await close();
      process.exit(0);
    });
    process.on('disconnect', () => process.exit(0));
    send({ type: 'ready' });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}
