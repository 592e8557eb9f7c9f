// Task templates (spec section 16): CRUD, and dispatch with `{variable}` substitution, which creates
// an ordinary task through TaskService (so it is dispatched like any other). Writes go through the
// template store (one transaction with the event), reads use Prisma.
import type { z } from 'zod';
import { LIMITS } from '@/lib/limits';
import { renderTemplate, templateVariables, type templatesCreateInput, type templatesDispatchInput, type templatesUpdateInput } from '@/lib/templates';
import { principalLabel, type Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { badInput, notFound } from '../errors';
import type { TaskService, TaskSummary } from '../services/tasks/task-service';
import type { TemplateStore } from './template-store';

export interface TemplateView {
  id: string;
  name: string;
  description: string;
  promptTemplate: string;
  /** The `{variable}` names, in order of first appearance. */
  variables: string[];
  capability: string | null;
  priority: number;
  createdBy: string;
  createdAt: string;
}

export interface TemplateServiceDeps {
  db: Database;
  store: TemplateStore;
  tasks: TaskService;
}

type TemplateRow = { id: string; name: string; description: string; promptTemplate: string; capability: string | null; priority: number; createdBy: string; createdAt: Date };

function toView(row: TemplateRow): TemplateView {
  return { ...row, variables: templateVariables(row.promptTemplate), createdAt: row.createdAt.toISOString() };
}

export class TemplateService {
  constructor(private readonly deps: TemplateServiceDeps) {}

  /** By name (at most the list limit). */
  async list(): Promise<TemplateView[]> {
    const rows = await this.deps.db.taskTemplate.findMany({ orderBy: { name: 'asc' }, take: LIMITS.listRows });
    return rows.map(toView);
  }

  async get(templateId: string): Promise<TemplateView> {
    const row = await this.deps.db.taskTemplate.findUnique({ where: { id: templateId } });
    if (!row) throw notFound(`template ${templateId}`);
    return toView(row);
  }

  async create(principal: Principal, input: z.infer<typeof templatesCreateInput>): Promise<TemplateView> {
    const id = await this.deps.store.create(
      { name: input.name, description: input.description, promptTemplate: input.promptTemplate, capability: input.capability ?? null, priority: input.priority },
      principalLabel(principal),
    );
    return this.get(id);
  }

  async update(input: z.infer<typeof templatesUpdateInput>): Promise<TemplateView> {
    const { templateId, ...changes } = input;
    await this.deps.store.update(templateId, changes);
    return this.get(templateId);
  }

  async delete(templateId: string): Promise<{ templateId: string; deleted: true }> {
    await this.deps.store.delete(templateId);
    return { templateId, deleted: true };
  }

  /** The seed templates, on the first start of a database (idempotent). */
  async seed(): Promise<void> {
    await this.deps.store.seed();
  }

  /** Renders the template with the variables (a missing or unknown one is refused, naming it) and creates the task. */
  async dispatch(principal: Principal, input: z.infer<typeof templatesDispatchInput>): Promise<{ task: TaskSummary; template: TemplateView }> {
    const template = await this.get(input.templateId);
    const rendered = renderTemplate(template.promptTemplate, input.variables);
    if (!rendered.ok) throw badInput(rendered.field, rendered.message);
    const firstValue = template.variables.length > 0 ? input.variables[template.variables[0]!]!.trim() : '';
    const title = input.title ?? defaultTitle(template.name, firstValue);
    const task = await this.deps.tasks.create(principal, {
      title,
      prompt: rendered.prompt,
      priority: input.priority ?? template.priority,
      requiredCapability: template.capability ?? undefined,
    });
    return { task, template };
  }
}

/** "Research: StoreKit 2 pricing", within the title limit. */
function defaultTitle(name: string, value: string): string {
  const title = value ? `${name}: ${value.replace(/\s+/g, ' ')}` : name;
  return title.length <= LIMITS.labelLength ? title : `${title.slice(0, LIMITS.labelLength - 1)}…`;
}
