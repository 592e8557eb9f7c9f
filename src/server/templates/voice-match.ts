// Voice dispatch's sentence → template rule (spec section 07's voice path, section 16): the sentence
// must start (after a greeting or "please", "can you") with a template's name or one of its spoken
// aliases; what follows, minus a linking word ("about", "on", "of", "for"), fills the template's one
// variable. "research StoreKit 2 pricing" → Research, topic = "StoreKit 2 pricing". Deterministic: the
// longest alias wins, ties go to the template first by name. Only templates with exactly one
// variable can be spoken to.

export interface SpeakableTemplate {
  id: string;
  name: string;
  variables: readonly string[];
}

export type VoiceMatch<T extends SpeakableTemplate> =
  | { kind: 'matched'; template: T; variable: string; value: string; alias: string }
  /** A template's name was heard, but nothing to fill it with. */
  | { kind: 'incomplete'; template: T; alias: string }
  | { kind: 'none'; heard: string };

/** Spoken forms of the seed templates, beyond their names. */
const ALIASES: Record<string, readonly string[]> = {
  research: ['look into', 'look up', 'investigate', 'find out about', 'find out'],
  summarize: ['summarise', 'summary of', 'sum up', 'give me a summary of', 'tldr'],
  qa: ['q a', 'test', 'quality check', 'do qa on', 'do a qa pass on'],
  'code review': ['review code in', 'review the code in', 'review the code of', 'review'],
  write: ['draft', 'write up', 'compose'],
};

const LEADING_FILLER = /^(?:(?:hey|hi|ok|okay|so)\s+)?(?:(?:m3sh|mesh|siri)\s*,?\s+)?(?:(?:please|can you|could you|would you|will you|i want you to|i need you to|go and|go|let'?s|start a|start|new|queue a|queue|a|an)\s+)*/i;
const LINKING_WORDS = /^(?:about|on|of|for|into|regarding|the topic of|topic)(?:\s*[:,-]?\s+|$)|^[:,-]\s*/i;

/** Lower-case, single spaces, no trailing punctuation; "Q&A" and "QA" sound alike. */
export function normalizeSentence(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?…]+$/u, '')
    .trim();
}

function aliasesOf(template: SpeakableTemplate): string[] {
  const name = template.name.toLowerCase().replace(/&/g, ' ').replace(/\s+/g, ' ').trim();
  return [...new Set([name, ...(ALIASES[name] ?? [])])];
}

export function matchVoiceCommand<T extends SpeakableTemplate>(text: string, templates: readonly T[]): VoiceMatch<T> {
  const sentence = normalizeSentence(text);
  const body = sentence.replace(LEADING_FILLER, '');
  const lower = body.toLowerCase().replace(/&/g, ' ');
  let best: { template: T; alias: string } | null = null;
  const ordered = [...templates].sort((a, b) => a.name.localeCompare(b.name));
  for (const template of ordered) {
    if (template.variables.length !== 1) continue;
    for (const alias of aliasesOf(template)) {
      const startsWith = lower === alias || lower.startsWith(`${alias} `) || lower.startsWith(`${alias}:`) || lower.startsWith(`${alias},`);
      if (startsWith && (!best || alias.length > best.alias.length)) best = { template, alias };
    }
  }
  if (!best) return { kind: 'none', heard: sentence };
  // Same length in the original text: the alias was matched on a lower-cased copy with '&' → ' '.
  const value = body.slice(best.alias.length).replace(/^[\s:,-]+/, '').replace(LINKING_WORDS, '').trim();
  if (!value) return { kind: 'incomplete', template: best.template, alias: best.alias };
  return { kind: 'matched', template: best.template, variable: best.template.variables[0]!, value, alias: best.alias };
}
