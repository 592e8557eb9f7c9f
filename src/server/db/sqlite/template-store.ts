// Task templates' writes on SQLite: each change and its event in one transaction (EventBus.transact).
// Reads go through Prisma (TemplateService). Plain SQL, nothing SQLite-only.
import { newId } from '@/lib/ids';
import { SEED_TEMPLATES } from '@/lib/templates';
import type { Clock } from '../../clock';
import { AppError, notFound } from '../../errors';
import type { EventBus } from '../../events/event-bus';
import type { TemplateFields, TemplateStore } from '../../templates/template-store';
import { sqlTime, type SqliteConnection } from './connection';

/** Marks the seeding as done, so a seed template an operator deleted does not come back on the next start. */
const SEEDED_KEY = 'seed:task-templates';

export class SqliteTemplateStore implements TemplateStore {
  constructor(private readonly deps: { connection: SqliteConnection; events: EventBus; clock: Clock }) {}

  private get sql() {
    return this.deps.connection;
  }

  create(fields: TemplateFields, createdBy: string): Promise<string> {
    return this.deps.events.transact((tx) => {
      const now = this.deps.clock.now();
      this.assertNameFree(fields.name, null);
      const id = newId(now.getTime());
      this.insert(id, fields, createdBy, now);
      tx.emit('template_created', { templateId: id, name: fields.name }, { permission: 'tasks:read' });
      return id;
    });
  }

  update(templateId: string, changes: Partial<TemplateFields>): Promise<void> {
    return this.deps.events.transact((tx) => {
      const current = this.sql.statement('SELECT name FROM task_templates WHERE id = ?').pluck().get(templateId) as string | undefined;
      if (current === undefined) throw notFound(`template ${templateId}`);
      if (changes.name !== undefined) this.assertNameFree(changes.name, templateId);
      const columns: [string, unknown][] = [
        ['name', changes.name],
        ['description', changes.description],
        ['prompt_template', changes.promptTemplate],
        ['capability', changes.capability],
        ['priority', changes.priority],
      ];
      for (const [column, value] of columns) {
        if (value !== undefined) this.sql.statement(`UPDATE task_templates SET ${column} = ? WHERE id = ?`).run(value, templateId);
      }
      tx.emit('template_updated', { templateId, name: changes.name ?? current }, { permission: 'tasks:read' });
    });
  }

  delete(templateId: string): Promise<void> {
    return this.deps.events.transact((tx) => {
      const name = this.sql.statement('SELECT name FROM task_templates WHERE id = ?').pluck().get(templateId) as string | undefined;
      if (name === undefined) throw notFound(`template ${templateId}`);
      this.sql.statement('DELETE FROM task_templates WHERE id = ?').run(templateId);
      tx.emit('template_deleted', { templateId, name }, { permission: 'tasks:read' });
    });
  }

  /** First start: the five seed templates (any already present by name is kept as it is). Idempotent. */
  seed(): Promise<number> {
    return this.deps.events.transact((tx) => {
      if (this.sql.statement('SELECT 1 FROM idempotency_keys WHERE key = ?').get(SEEDED_KEY)) return 0;
      const now = this.deps.clock.now();
      let created = 0;
      for (const template of SEED_TEMPLATES) {
        if (this.sql.statement('SELECT 1 FROM task_templates WHERE name = ?').get(template.name)) continue;
        const id = newId(now.getTime());
        this.insert(id, template, 'system', now);
        tx.emit('template_created', { templateId: id, name: template.name }, { permission: 'tasks:read' });
        created += 1;
      }
      this.sql
        .statement('INSERT INTO idempotency_keys (key, scope, response, created_at) VALUES (?, ?, ?, ?)')
        .run(SEEDED_KEY, 'templates.seed', JSON.stringify({ created }), sqlTime(now));
      return created;
    });
  }

  private insert(id: string, fields: TemplateFields, createdBy: string, now: Date): void {
    this.sql
      .statement('INSERT INTO task_templates (id, name, description, prompt_template, capability, priority, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, fields.name, fields.description, fields.promptTemplate, fields.capability, fields.priority, createdBy, sqlTime(now));
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const other = this.sql.statement('SELECT id FROM task_templates WHERE lower(name) = lower(?)').pluck().get(name) as string | undefined;
    if (other !== undefined && other !== exceptId) throw new AppError('conflict', `name: a template named "${name}" exists already`, { field: 'name' });
  }
}
