// Task templates (spec section 16): input schemas shared by every door, and the `{variable}`
// placeholder rules (which variables a template has, rendering one with the caller's values).
import { z } from 'zod';
import { capabilitySchema } from './agents';
import { LIMITS, describeLimit, utf8Bytes } from './limits';
import { boundedText } from './schemas';
import { MAX_PRIORITY } from './tasks';

/** `{topic}`: a letter or underscore, then up to 31 letters, digits or underscores. Other braces are plain text. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]{0,31})\}/g;
export const MAX_TEMPLATE_VARIABLES = 10;
/** One variable's value; the rendered prompt must still fit LIMITS.promptBytes. */
export const MAX_VARIABLE_BYTES = 4 * 1024;

export const templateIdSchema = z.string().min(1).max(64);
const name = z.string().trim().min(1).max(80);
const description = z.string().max(500);
const promptTemplate = boundedText('promptBytes')
  .refine((text) => text.trim().length > 0, 'must not be empty')
  .refine((text) => templateVariables(text).length <= MAX_TEMPLATE_VARIABLES, `at most ${MAX_TEMPLATE_VARIABLES} variables`);
const priority = z.number().int().min(0).max(MAX_PRIORITY);

export const templatesCreateInput = z.object({
  name,
  description: description.default(''),
  promptTemplate,
  capability: capabilitySchema.nullish(),
  priority: priority.default(50),
});

export const templatesUpdateInput = z.object({
  templateId: templateIdSchema,
  name: name.optional(),
  description: description.optional(),
  promptTemplate: promptTemplate.optional(),
  /** null clears it (any agent may take the tasks). */
  capability: capabilitySchema.nullish(),
  priority: priority.optional(),
});

export const templatesGetInput = z.object({ templateId: templateIdSchema });
export const templatesDeleteInput = z.object({ templateId: templateIdSchema });

export const templatesDispatchInput = z.object({
  templateId: templateIdSchema,
  variables: z.record(z.string().max(32), z.string().max(MAX_VARIABLE_BYTES)).default({}),
  /** Default: the template's name and the first variable's value. */
  title: z.string().trim().min(1).max(LIMITS.labelLength).optional(),
  priority: priority.optional(),
});

/** The template's variables, in order of first appearance. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

export type RenderResult = { ok: true; prompt: string } | { ok: false; field: string; message: string };

/**
 * Fills every placeholder. A variable the template lacks, one it needs but was not given (or
 * given blank), or a result past the prompt limit is refused, naming the variable or the limit.
 */
export function renderTemplate(template: string, variables: Record<string, string>): RenderResult {
  const wanted = templateVariables(template);
  for (const given of Object.keys(variables)) {
    if (!wanted.includes(given)) {
      return { ok: false, field: `variables.${given}`, message: `unknown variable; this template takes ${wanted.length > 0 ? wanted.map((v) => `{${v}}`).join(', ') : 'no variables'}` };
    }
  }
  for (const variable of wanted) {
    if (!(variables[variable] ?? '').trim()) return { ok: false, field: `variables.${variable}`, message: `missing: the template needs {${variable}}` };
  }
  const prompt = template.replace(PLACEHOLDER, (whole, variable: string) => variables[variable]!.trim());
  if (utf8Bytes(prompt) > LIMITS.promptBytes) {
    return { ok: false, field: 'variables', message: `the rendered prompt exceeds the ${describeLimit('promptBytes')} limit (promptBytes)` };
  }
  return { ok: true, prompt };
}

/**
 * The five templates every hub starts with (spec section 16). No capability: on a fresh mesh any
 * agent can take them; an operator narrows one with templates.update.
 */
export const SEED_TEMPLATES = [
  {
    name: 'Research',
    description: 'Look into a topic and report what matters, with sources.',
    promptTemplate: 'Research {topic}. Report the key facts, open questions and your sources, in a short structured summary.',
    capability: null,
    priority: 50,
  },
  {
    name: 'Summarize',
    description: 'A short summary of a document, thread or result.',
    promptTemplate: 'Summarize {target}. Keep the points that matter for a decision; at most ten bullet points.',
    capability: null,
    priority: 50,
  },
  {
    name: 'QA',
    description: 'Test something and report what fails.',
    promptTemplate: 'Do a QA pass on {target}: try the main paths and the edge cases, and report each problem with steps to reproduce it.',
    capability: null,
    priority: 50,
  },
  {
    name: 'Code Review',
    description: 'Review code for bugs, risks and clarity.',
    promptTemplate: 'Review the code in {target}. Point out bugs, security risks and unclear parts, most serious first, with suggested fixes.',
    capability: null,
    priority: 50,
  },
  {
    name: 'Write',
    description: 'Draft a text on a topic.',
    promptTemplate: 'Write about {topic}. Clear, concrete, and ready to use.',
    capability: null,
    priority: 50,
  },
] as const;

/** POST /api/voice/dispatch as JSON (the body may also be the sentence as text/plain). */
export const voiceDispatchInput = z.object({ text: z.string().max(1_000, 'at most 1,000 characters') });
