// The hub's authoritative model price table (USD per million tokens) and the one function that
// prices a usage report. Workers report their own cost figure, but the hub prices every model it
// knows itself, so a misconfigured or dishonest worker cannot skew the mesh's cost accounting.

export interface ModelPrice {
  /** USD per million input tokens. */
  inputPerMTok: number;
  /** USD per million output tokens. */
  outputPerMTok: number;
  /**
   * A model priced by prompt length (Haiku 5.5): a report with more input tokens than this is
   * priced at these rates. A report that sums several calls is judged by its sum, so it can only
   * be priced higher than the calls were, never lower.
   */
  longPrompt?: { aboveInputTokens: number; inputPerMTok: number; outputPerMTok: number };
}

export type CostSource = 'price_table' | 'reported';

/**
 * Anthropic list prices (platform.claude.com, models overview and pricing, December 2026), keyed
 * by model id prefix: dated ids and aliases of a family share its price
 * ('claude-sonnet-4-5-20250929' → 'claude-sonnet-4'). The longest matching prefix wins, so a
 * generation priced differently from its family (Opus 4.5 and later dropped to 5/25) is one more
 * entry, not a special case. The defaults of src/lib/models.ts must be priced here (a test checks).
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-1': { inputPerMTok: 10, outputPerMTok: 50 },
  'claude-fable-5-2': { inputPerMTok: 8, outputPerMTok: 40 },
  'claude-opus-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-5-5': { inputPerMTok: 4, outputPerMTok: 20 },
  'claude-sonnet-5': { inputPerMTok: 2, outputPerMTok: 10 },
  'claude-haiku-5-5': { inputPerMTok: 0.1, outputPerMTok: 0.5, longPrompt: { aboveInputTokens: 100_000, inputPerMTok: 0.5, outputPerMTok: 2.5 } },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-6': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-7': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-8': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
};

const PREFIXES_LONGEST_FIRST = Object.keys(MODEL_PRICES).sort((a, b) => b.length - a.length);

/**
 * Strips the cloud providers' wrappers around Anthropic ids: Bedrock's
 * '[region.]anthropic.<id>-v1:0', OpenRouter's 'anthropic/<id>' (Vertex's '<id>@<date>' is
 * handled by the prefix boundary).
 */
function normalizeModelId(model: string): string {
  const lower = model.trim().toLowerCase();
  const marker = /(?:^|\.)anthropic[./]/.exec(lower);
  return marker ? lower.slice(marker.index + marker[0].length) : lower;
}

/** The table's price for a model id, or undefined when the hub does not know the model. */
export function findModelPrice(model: string): ModelPrice | undefined {
  const id = normalizeModelId(model);
  // A prefix must end at a separator, so 'claude-opus-4' never prices a 'claude-opus-40'.
  const prefix = PREFIXES_LONGEST_FIRST.find((candidate) => id === candidate || (id.startsWith(candidate) && /[-@:.]/.test(id[candidate.length]!)));
  return prefix ? MODEL_PRICES[prefix] : undefined;
}

export interface UsageToPrice {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** The worker's own figure; used only for models missing from the table. */
  reportedCostUsd?: number;
}

/** Rounded to a millionth of a cent: enough for sums over many rows, free of float noise. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** Known model → the table's price; unknown model → the worker's figure (0 if none), marked 'reported'. */
export function priceUsage(usage: UsageToPrice): { costUsd: number; source: CostSource } {
  const price = findModelPrice(usage.model);
  if (!price) return { costUsd: roundUsd(Math.max(0, usage.reportedCostUsd ?? 0)), source: 'reported' };
  const rates = price.longPrompt && usage.inputTokens > price.longPrompt.aboveInputTokens ? price.longPrompt : price;
  const costUsd = (usage.inputTokens * rates.inputPerMTok + usage.outputTokens * rates.outputPerMTok) / 1_000_000;
  return { costUsd: roundUsd(costUsd), source: 'price_table' };
}
