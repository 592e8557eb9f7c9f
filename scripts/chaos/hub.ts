// The hub as a real process (server.ts under tsx, API only) on a fixed port and data dir, so a restart after kill -9 is the same hub.
import path from 'node:path';
import type { ChildHandle, ProcessGroup } from './processes';

export interface ChaosHubOptions {
  port: number;
  dataDir: string;
  logDir: string;
  masterToken: string;
  /** Extra hub settings (MESH_*). */
  env?: Record<string, string>;
}

const START_TIMEOUT_MS = 90_000;

export class ChaosHub {
  private current: ChildHandle | null = null;
  /** How many hub processes were started. */
  generation = 0;
  readonly url: string;
  readonly databaseFile: string;

  constructor(
    private readonly group: ProcessGroup,
    private readonly options: ChaosHubOptions,
  ) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.databaseFile = path.join(options.dataDir, 'm3shd.db');
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** Starts a hub process and resolves once it listens. */
  async start(): Promise<void> {
    this.generation += 1;
    const child = this.group.spawnTypeScript(
      `hub#${this.generation}`,
      'server.ts',
      [],
      {
        PORT: String(this.options.port),
        HOST: '127.0.0.1',
        MESH_DATA_DIR: this.options.dataDir,
        DATABASE_URL: '',
        MESH_MASTER_TOKEN: this.options.masterToken,
        MESH_UI: 'off',
        // Task cost is estimated from text length; the budget must not be what stops the run.
        MESH_DAILY_TOKEN_BUDGET: '1000000000',
        ...this.options.env,
      },
      path.join(this.options.logDir, `hub-${this.generation}.log`),
    );
    this.current = child;
    await child.waitFor(/listening on/, START_TIMEOUT_MS);
  }

  /** kill -9; resolves with the kill time once the process is gone. */
  async kill9(): Promise<number> {
    const child = this.current;
    if (!child) throw new Error('no hub is running');
    const killedAt = Date.now();
    await child.kill9();
    this.current = null;
    return killedAt;
  }

  /** A graceful stop (SIGTERM): the hub closes its database cleanly. */
  async stop(): Promise<void> {
    const child = this.current;
    this.current = null;
    if (child) await child.stop(15_000);
  }
}
