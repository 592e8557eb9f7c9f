// Command workers as real processes (worker/main.ts under tsx); a restart after kill -9 is a new process (a new instance id) with the same agent, token and outbox.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildHandle, ProcessGroup } from './processes';

export interface ChaosWorkerOptions {
  id: string;
  token: string;
  hubUrl: string;
  outboxDir: string;
  logDir: string;
  slots: number;
  /** The program the command runtime runs; it gets the prompt on stdin. */
  command: string;
  /** Passed through when set; otherwise the worker's own defaults apply. */
  heartbeatMs?: number;
  claimIntervalMs?: number;
}

const REGISTER_TIMEOUT_MS = 90_000;

/** The command each worker runs: prints DONE:<prompt>, after an optional pause so kills catch tasks mid-run. */
export function workerCommand(taskMs: number): string {
  const pause = taskMs > 0 ? ` sleep ${(taskMs / 1000).toFixed(3)};` : '';
  return `sh -c 'read -r x;${pause} echo DONE:$x'`;
}

export function expectedOutput(prompt: string): string {
  return `DONE:${prompt}`;
}

export class ChaosWorker {
  private current: ChildHandle | null = null;
  generation = 0;
  /** The instance id the running process registered with. */
  instanceId: string | null = null;

  constructor(
    private readonly group: ProcessGroup,
    readonly options: ChaosWorkerOptions,
  ) {
    fs.mkdirSync(options.outboxDir, { recursive: true });
  }

  get id(): string {
    return this.options.id;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** Starts a process and resolves once it registered (it delivers its outbox first). */
  async start(): Promise<void> {
    this.generation += 1;
    const o = this.options;
    const args = ['--hub', o.hubUrl, '--token', o.token, '--id', o.id, '--runtime', 'command', '--command', o.command];
    args.push('--slots', String(o.slots), '--outbox-dir', o.outboxDir);
    // The load gate is not under test: a busy 2-core machine must not pause claiming.
    args.push('--max-load', '100000');
    if (o.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(o.heartbeatMs));
    if (o.claimIntervalMs !== undefined) args.push('--claim-interval-ms', String(o.claimIntervalMs));
    const child = this.group.spawnTypeScript(`${o.id}#${this.generation}`, 'worker/main.ts', args, {}, path.join(o.logDir, `${o.id}-${this.generation}.log`));
    this.current = child;
    this.instanceId = null;
    const match = await child.waitFor(/registered with .*instance ([A-Za-z0-9_-]+)\)/, REGISTER_TIMEOUT_MS);
    this.instanceId = match[1]!;
  }

  /** kill -9; resolves with the kill time once the process is gone. */
  async kill9(): Promise<number> {
    const child = this.current;
    if (!child) throw new Error(`worker ${this.id} is not running`);
    const killedAt = Date.now();
    await child.kill9();
    this.current = null;
    return killedAt;
  }

  /** SIGTERM: the worker finishes what it runs, empties its outbox and goes offline. */
  async stop(): Promise<void> {
    const child = this.current;
    this.current = null;
    if (child) await child.stop(30_000);
  }

  /** Files left in the outbox: results (.json) that never reached the hub, and half-written ones (.tmp). */
  outboxFiles(): string[] {
    try {
      return fs.readdirSync(this.options.outboxDir);
    } catch {
      return [];
    }
  }
}
