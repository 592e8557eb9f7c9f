// Memory consolidation ("sleep", spec section 14): deterministic rules over every agent's
// memory, then, when the hub's model gateway is configured, the model's proposed merges. Every
// change is logged with the entries it replaced (memory_consolidations, encrypted like values).
//
// The rules, per agent, in order:
// 1. Contradictions: entries on the same subject (keys equal once case and the separators
//    . _ : - are ignored, e.g. `Deploy-Day` and `deploy.day`) with different values. The higher
//    confidence wins when the confidences differ (an entry without one counts as 0.5), else the
//    later entry; the others are removed.
// 2. Duplicates: entries whose values are the same words (case, punctuation and spacing
//    ignored) under different keys. The oldest entry is kept (its key is the name in use), with
//    the highest confidence of the group; the others go.
// 3. Cross-agent facts: a value two or more agents hold becomes, for each holder, a
//    consolidated entry (source `consolidation`) with the highest confidence among them.
import type { MemoryEntryView, ReplacedMemory } from '@/lib/memory';
import { LIMITS, utf8Bytes } from '@/lib/limits';
import { z } from 'zod';
import type { ModelGateway } from '../llm/gateway';
import { normaliseWords } from './blind-index';
import type { ConsolidationChange } from './memory-repository';

const NEUTRAL_CONFIDENCE = 0.5;

const subjectOf = (key: string) => key.toLowerCase().replace(/[._:-]+/g, '.').replace(/^\.|\.$/g, '');
const factOf = (value: string) => value.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu)?.join(' ') ?? '';
const confidenceOf = (entry: MemoryEntryView) => entry.confidence ?? NEUTRAL_CONFIDENCE;

function replacedView(entry: MemoryEntryView): ReplacedMemory {
  return { key: entry.key, value: entry.value, source: entry.source, confidence: entry.confidence, updatedAt: entry.updatedAt };
}

function maxConfidence(entries: MemoryEntryView[]): number | null {
  const known = entries.map((entry) => entry.confidence).filter((confidence): confidence is number => confidence !== null);
  return known.length === 0 ? null : Math.max(...known);
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The deterministic rules' changes for these entries (any agents). Pure: same entries, same plan. */
export function planConsolidation(entries: MemoryEntryView[]): ConsolidationChange[] {
  const changes: ConsolidationChange[] = [];
  const survivors: MemoryEntryView[] = [];
  /** The pending change that rewrites an entry (agent + key), so rule 3 can fold into it. */
  const writes = new Map<string, ConsolidationChange>();
  const id = (agentId: string, key: string) => `${agentId}\0${key}`;

  for (const [agentId, own] of groupBy(entries, (entry) => entry.agentId)) {
    let remaining: MemoryEntryView[] = [];
    for (const group of groupBy(own, (entry) => subjectOf(entry.key)).values()) {
      if (group.length < 2 || new Set(group.map((entry) => factOf(entry.value))).size < 2) {
        remaining.push(...group);
        continue;
      }
      const winner = [...group].sort((a, b) => confidenceOf(b) - confidenceOf(a) || b.updatedAt.localeCompare(a.updatedAt) || a.key.localeCompare(b.key))[0]!;
      const losers = group.filter((entry) => entry !== winner);
      const byConfidence = losers.some((entry) => confidenceOf(entry) !== confidenceOf(winner));
      changes.push({
        agentId,
        action: 'resolved_contradiction',
        keptKey: winner.key,
        summary: `kept "${winner.key}" (${byConfidence ? 'higher confidence' : 'the later entry'}) over ${losers.map((entry) => `"${entry.key}"`).join(', ')}`,
        replaced: losers.map(replacedView),
        remove: losers.map((entry) => entry.key),
      });
      remaining.push(winner);
    }

    const next: MemoryEntryView[] = [];
    for (const group of groupBy(remaining, (entry) => factOf(entry.value)).values()) {
      if (group.length < 2) {
        next.push(...group);
        continue;
      }
      const kept = [...group].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key))[0]!;
      const others = group.filter((entry) => entry !== kept);
      const confidence = maxConfidence(group);
      const change: ConsolidationChange = {
        agentId,
        action: 'merged_duplicate',
        keptKey: kept.key,
        summary: `"${kept.key}" kept; the same fact under ${others.map((entry) => `"${entry.key}"`).join(', ')} removed`,
        replaced: (confidence !== kept.confidence ? group : others).map(replacedView),
        remove: others.map((entry) => entry.key),
        write: confidence !== kept.confidence ? { key: kept.key, value: kept.value, source: kept.source, confidence } : undefined,
      };
      changes.push(change);
      writes.set(id(agentId, kept.key), change);
      next.push({ ...kept, confidence });
    }
    remaining = next;
    survivors.push(...remaining);
  }

  for (const holders of groupBy(survivors, (entry) => factOf(entry.value)).values()) {
    const agents = [...new Set(holders.map((entry) => entry.agentId))].sort();
    if (agents.length < 2) continue;
    const confidence = maxConfidence(holders);
    for (const entry of holders) {
      if (entry.source === 'consolidation' && entry.confidence === confidence) continue;
      const others = agents.filter((agent) => agent !== entry.agentId).join(', ');
      const pending = writes.get(id(entry.agentId, entry.key));
      if (pending) {
        pending.write = { key: entry.key, value: entry.value, source: 'consolidation', confidence };
        pending.summary += `; also held by ${others}, now a consolidated entry`;
        if (!pending.replaced.some((replaced) => replaced.key === entry.key)) {
          const original = entries.find((candidate) => candidate.agentId === entry.agentId && candidate.key === entry.key)!;
          pending.replaced.push(replacedView(original));
        }
        continue;
      }
      changes.push({
        agentId: entry.agentId,
        action: 'corroborated',
        keptKey: entry.key,
        summary: `"${entry.key}" is also held by ${others}: now a consolidated entry`,
        replaced: [replacedView(entry)],
        remove: [],
        write: { key: entry.key, value: entry.value, source: 'consolidation', confidence },
      });
    }
  }
  return changes;
}

const MODEL_SYSTEM = `You consolidate an AI agent's memory. You get its entries as JSON lines {"key","value"}.
Find entries that state the same fact in different words and should be one entry. Answer ONLY with JSON:
{"merges":[{"keep":"<key to keep>","remove":["<other key>",...],"value":"<the merged value>"}]}
Propose nothing for entries that merely share a topic. An empty list is a fine answer.`;

const modelAnswer = z.object({
  merges: z
    .array(z.object({ keep: z.string(), remove: z.array(z.string()).min(1).max(20), value: z.string().min(1) }))
    .max(50),
});

/** Entries per agent shown to the model, and characters of each value. */
const MODEL_ENTRIES = 100;
const MODEL_VALUE_CHARS = 500;

/**
 * The model's merge proposals for one agent's entries, checked: keys must exist and be untouched
 * by the rules' changes, the merged value must fit the value limit. A failed call or an answer
 * that is not the JSON asked for proposes nothing.
 */
export async function proposeModelMerges(llm: ModelGateway, agentId: string, entries: MemoryEntryView[], touched: Set<string>, log: (line: string) => void): Promise<ConsolidationChange[]> {
  const candidates = entries.filter((entry) => !touched.has(entry.key)).slice(0, MODEL_ENTRIES);
  if (candidates.length < 2) return [];
  const lines = candidates.map((entry) => JSON.stringify({ key: entry.key, value: entry.value.slice(0, MODEL_VALUE_CHARS) }));
  let parsed: z.infer<typeof modelAnswer>;
  try {
    const { text } = await llm.complete({ system: MODEL_SYSTEM, prompt: lines.join('\n'), maxTokens: 2_000 });
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    parsed = modelAnswer.parse(JSON.parse(text.slice(start, end + 1)));
  } catch {
    log(`memory consolidation: the model's merge proposals for agent ${agentId} were unusable; skipped`);
    return [];
  }
  const byKey = new Map(candidates.map((entry) => [entry.key, entry]));
  const used = new Set<string>();
  const changes: ConsolidationChange[] = [];
  for (const merge of parsed.merges) {
    const keys = [merge.keep, ...merge.remove];
    if (new Set(keys).size !== keys.length || keys.some((key) => !byKey.has(key) || used.has(key))) continue;
    if (utf8Bytes(merge.value) > LIMITS.memoryValueBytes || normaliseWords(merge.value).length === 0) continue;
    for (const key of keys) used.add(key);
    const group = keys.map((key) => byKey.get(key)!);
    changes.push({
      agentId,
      action: 'model_merge',
      keptKey: merge.keep,
      summary: `the model merged ${merge.remove.map((key) => `"${key}"`).join(', ')} into "${merge.keep}"`,
      replaced: group.map(replacedView),
      remove: merge.remove,
      write: { key: merge.keep, value: merge.value, source: 'consolidation', confidence: maxConfidence(group) },
    });
  }
  return changes;
}
