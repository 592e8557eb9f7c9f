// Moves WAL checkpoints off the event loop: a worker thread with its own connection copies the
// WAL into the database file every second (PASSIVE: it never blocks the hub's writer, and gives up
// at once when busy). Without it every ~4,000th commit of the hub's one connection ran the
// checkpoint inline (pages copied, the file synced), and the requests waiting behind it showed as
// the p99 of task pickup.
//
// This is the one exception to "one connection per hub process" (ARCHITECTURE.md, Data): that rule
// guards the event loop from a second connection's synchronous busy-wait, and this connection lives
// on another thread, never waits (busy timeout 0) and never writes rows.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 1_000;

// Plain CommonJS run by the worker thread (eval), so the esbuild bundle needs no second entry point.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const database = new Database(workerData.file, { timeout: 0, fileMustExist: true });
const checkpoint = () => {
  try {
    const [result] = database.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ kind: 'checkpoint', frames: result.log, copied: result.checkpointed });
  } catch {
    // SQLITE_BUSY or a transient error: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  database.close();
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
`;

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  frames: number;
  copied: number;
}

export class WalCheckpointer {
  private stopped = false;
  private readonly listeners = new Set<(result: CheckpointResult) => void>();

  private constructor(
    private readonly worker: Worker,
    private readonly onFailure: () => void,
  ) {
    worker.on('message', (message: { kind: string } & Partial<CheckpointResult>) => {
      if (message.kind !== 'checkpoint') return;
      for (const listener of this.listeners) listener({ frames: message.frames ?? 0, copied: message.copied ?? 0 });
    });
    const failed = () => {
      if (!this.stopped) this.onFailure();
    };
    worker.once('error', failed);
    worker.once('exit', failed);
    worker.unref();
  }

  /**
   * Starts the thread and resolves once its connection is open. `onFailure` runs if the thread
   * dies: the caller then turns SQLite's inline checkpoints back on, so the WAL never grows unbounded.
   */
  static start(databaseFile: string, onFailure: () => void): Promise<WalCheckpointer> {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: databaseFile, driverPath, intervalMs: CHECKPOINT_INTERVAL_MS } });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve(new WalCheckpointer(worker, onFailure));
      });
    });
  }

  /** Called after every checkpoint pass (tests). */
  onCheckpoint(listener: (result: CheckpointResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Referenced while stopping: otherwise a process with nothing else left to do (the admin CLI,
    // a hub whose server already closed) would exit in the middle of this await.
    this.worker.ref();
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 2_000)));
    await Promise.race([exited, timeout]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
