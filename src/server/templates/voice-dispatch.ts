// Voice dispatch (spec section 07's voice path): a dictated sentence → the best template, its one
// variable filled (voice-match.ts), dispatched as templates.dispatch would, and one sentence back
// that a Siri Shortcut can speak. The rule match is deterministic; when it finds nothing and the
// hub's model gateway is configured, the model may pick a template and a value from the list, and
// its answer is checked against the same templates before anything is created.
import type { HubLogger } from '../logging/logger';
import { AppError } from '../errors';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import type { ModelGateway } from '../llm/gateway';
import type { TaskSummary } from '../services/tasks/task-service';
import type { TemplateService, TemplateView } from './template-service';
import { matchVoiceCommand, normalizeSentence } from './voice-match';

/** A dictated sentence is short; a longer one is refused before matching. */
export const MAX_VOICE_TEXT_CHARS = 1_000;

export interface VoiceDispatchDeps {
  db: Database;
  templates: TemplateService;
  /** Runs a dispatch pass now, so the answer can name the agent. */
  dispatchNow: () => Promise<unknown>;
  llm?: Pick<ModelGateway, 'configured' | 'complete'>;
  logger: HubLogger;
}

/** The sentence matched no template (or named one without its value): 422, with what was understood. */
export class VoiceNotUnderstood extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceNotUnderstood';
  }
}

export interface VoiceAnswer {
  /** What to speak back. */
  message: string;
  template: string;
  variables: Record<string, string>;
  task: TaskSummary;
  agentId: string | null;
  matchedBy: 'rule' | 'model';
}

export class VoiceDispatchService {
  constructor(private readonly deps: VoiceDispatchDeps) {}

  async dispatch(principal: Principal, text: string): Promise<VoiceAnswer> {
    const sentence = normalizeSentence(text);
    if (!sentence) throw new AppError('bad_input', 'text: say what to do, e.g. "research StoreKit 2 pricing"', { field: 'text' });
    if (sentence.length > MAX_VOICE_TEXT_CHARS) throw new AppError('bad_input', `text: at most ${MAX_VOICE_TEXT_CHARS.toLocaleString('en-US')} characters`, { field: 'text' });
    const templates = await this.deps.templates.list();
    let match = matchVoiceCommand(sentence, templates);
    let matchedBy: VoiceAnswer['matchedBy'] = 'rule';
    if (match.kind === 'none') {
      const proposal = await this.askModel(sentence, templates);
      if (proposal) {
        match = proposal;
        matchedBy = 'model';
      }
    }
    if (match.kind === 'none') {
      const names = templates.filter((template) => template.variables.length === 1).map((template) => template.name);
      throw new VoiceNotUnderstood(`I heard "${truncate(match.heard)}", but it matches no template. Start with one of: ${names.join(', ')}.`);
    }
    if (match.kind === 'incomplete') {
      const variable = match.template.variables[0]!;
      throw new VoiceNotUnderstood(`I understood ${match.template.name}, but not the ${variable}. Say "${match.alias} <${variable}>".`);
    }
    const variables = { [match.variable]: match.value };
    const { task } = await this.deps.templates.dispatch(principal, { templateId: match.template.id, variables });
    await this.deps.dispatchNow();
    const placed = await this.deps.db.task.findUnique({ where: { id: task.id }, select: { assignedTo: true } });
    const agentId = placed?.assignedTo ?? null;
    return { message: await this.sentence(match.template.name, agentId), template: match.template.name, variables, task, agentId, matchedBy };
  }

  /** "Research task queued for rex." / "…queued; no agent is online yet." / "…queued; every agent is busy." */
  private async sentence(templateName: string, agentId: string | null): Promise<string> {
    if (agentId) return `${templateName} task queued for ${agentId}.`;
    const online = await this.deps.db.agent.count({ where: { status: { not: 'offline' }, maxConcurrent: { gt: 0 } } });
    return online === 0 ? `${templateName} task queued; no agent is online yet.` : `${templateName} task queued; it starts when an agent is free.`;
  }

  /** The model's pick, only when configured; anything it answers outside the list is ignored. */
  private async askModel(sentence: string, templates: TemplateView[]) {
    const llm = this.deps.llm;
    const speakable = templates.filter((template) => template.variables.length === 1);
    if (!llm?.configured || speakable.length === 0) return null;
    try {
      const completion = await llm.complete({
        system:
          'You route a spoken request to one task template. Answer only JSON: {"template": "<name from the list>", "value": "<text for its variable>"} or {"template": null}.',
        prompt: `Templates:\n${speakable.map((template) => `- ${template.name} ({${template.variables[0]}}): ${template.description}`).join('\n')}\n\nRequest: ${sentence}`,
        maxTokens: 200,
      });
      const parsed = JSON.parse(completion.text.trim().replace(/^```(?:json)?|```$/g, '')) as { template?: unknown; value?: unknown };
      const template = speakable.find((candidate) => candidate.name === parsed.template);
      const value = typeof parsed.value === 'string' ? parsed.value.trim() : '';
      if (!template || !value) return null;
      return { kind: 'matched' as const, template, variable: template.variables[0]!, value, alias: template.name.toLowerCase() };
    } catch {
      this.deps.logger.warn('voice dispatch: the model gave no usable template choice');
      return null;
    }
  }
}

function truncate(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 119)}…`;
}
