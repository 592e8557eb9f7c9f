// The plugin_states table: each plugin's enabled flag (kept across restarts) and what the admin
// view shows of its use. Writes are small single-row statements, off the task engine's hot path.
import type { Clock } from '../clock';
import type { Database } from '../db/client';

export interface PluginStateRow {
  name: string;
  enabled: boolean;
  invocations: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastInvokedAt: Date | null;
}

export class PluginStateStore {
  constructor(private readonly deps: { db: Database; clock: Clock }) {}

  /** The row of each named plugin, made (enabled) for plugins seen for the first time. */
  async loadAll(names: string[]): Promise<Map<string, PluginStateRow>> {
    const now = this.deps.clock.now();
    for (const name of names) {
      await this.deps.db.pluginState.upsert({ where: { name }, create: { name, enabled: true, updatedAt: now }, update: {} });
    }
    const rows = await this.deps.db.pluginState.findMany({ where: { name: { in: names } } });
    return new Map(rows.map((row) => [row.name, row]));
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.deps.db.pluginState.update({ where: { name }, data: { enabled, updatedAt: this.deps.clock.now() } });
  }

  async recordInvocation(name: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db.pluginState.update({
      where: { name },
      data: outcome.ok
        ? { invocations: { increment: 1 }, lastInvokedAt: now, updatedAt: now }
        : { invocations: { increment: 1 }, failures: { increment: 1 }, lastError: outcome.error, lastErrorAt: now, lastInvokedAt: now, updatedAt: now },
    });
  }

  /** A failure outside an invocation: a setup or a hook that threw or timed out. */
  async recordError(name: string, error: string, disable: boolean): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db.pluginState.update({
      where: { name },
      data: { failures: { increment: 1 }, lastError: error, lastErrorAt: now, updatedAt: now, ...(disable ? { enabled: false } : {}) },
    });
  }
}
