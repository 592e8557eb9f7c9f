// Shared context: the mesh's key-value store (the chat's @context). Every change publishes
// context_updated / context_deleted, seen by everyone holding messages:read.
import { LIMITS } from '@/lib/limits';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { principalLabel, type Principal } from '../auth/principal';

export interface ContextServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export interface ContextEntryView {
  key: string;
  value: string;
  setBy: string;
  updatedAt: string;
}

function toView(row: { key: string; value: string; setBy: string; updatedAt: Date }): ContextEntryView {
  return { key: row.key, value: row.value, setBy: row.setBy, updatedAt: row.updatedAt.toISOString() };
}

export class ContextService {
  constructor(private readonly deps: ContextServiceDeps) {}

  /** Every entry, by key (at most the list limit). */
  async list(): Promise<ContextEntryView[]> {
    const rows = await this.deps.db.contextEntry.findMany({ orderBy: { key: 'asc' }, take: LIMITS.listRows });
    return rows.map(toView);
  }

  async get(key: string): Promise<ContextEntryView> {
    const row = await this.deps.db.contextEntry.findUnique({ where: { key } });
    if (!row) throw notFound(`context key "${key}"`);
    return toView(row);
  }

  /** Creates or replaces an entry; set_by records who wrote it last. */
  async set(principal: Principal, key: string, value: string): Promise<ContextEntryView> {
    const setBy = principalLabel(principal);
    // updatedAt is given explicitly so it follows the injected clock, not the system time.
    const updatedAt = this.deps.clock.now();
    const row = await this.deps.db.contextEntry.upsert({
      where: { key },
      create: { key, value, setBy, updatedAt },
      update: { value, setBy, updatedAt },
    });
    await this.deps.events.publish('context_updated', { key, value, setBy }, { permission: 'messages:read' });
    return toView(row);
  }

  async delete(key: string): Promise<{ key: string; deleted: true }> {
    const result = await this.deps.db.contextEntry.deleteMany({ where: { key } });
    if (result.count === 0) throw notFound(`context key "${key}"`);
    await this.deps.events.publish('context_deleted', { key }, { permission: 'messages:read' });
    return { key, deleted: true };
  }
}
