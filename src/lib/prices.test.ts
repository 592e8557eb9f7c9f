// The price table: family prefixes, provider-wrapped ids, and the fallback to the worker's figure.
import { describe, expect, it } from 'vitest';
import { findModelPrice, priceUsage } from './prices';

describe('findModelPrice', () => {
  it('prices dated ids and aliases by their family prefix', () => {
    expect(findModelPrice('claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(findModelPrice('claude-sonnet-4-20250514')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(findModelPrice('claude-sonnet-4-0')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(findModelPrice('claude-opus-4-20250514')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(findModelPrice('claude-opus-4-1-20250805')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(findModelPrice('claude-haiku-4-5-20251001')).toEqual({ inputPerMTok: 1, outputPerMTok: 5 });
    expect(findModelPrice('claude-3-5-haiku-20241022')).toEqual({ inputPerMTok: 0.8, outputPerMTok: 4 });
  });

  it('lets the longest prefix win (Opus 4.5 is priced below its family)', () => {
    expect(findModelPrice('claude-opus-4-5-20251101')).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
    expect(findModelPrice('claude-opus-4-5')).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
  });

  it('understands Bedrock, Vertex and OpenRouter spellings of the same models', () => {
    expect(findModelPrice('us.anthropic.claude-sonnet-4-20250514-v1:0')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(findModelPrice('anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({ inputPerMTok: 1, outputPerMTok: 5 });
    expect(findModelPrice('claude-opus-4@20250514')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(findModelPrice('anthropic/claude-sonnet-4')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(findModelPrice('Claude-Sonnet-4-5')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
  });

  it('knows nothing of other models, nor of ids that only share the first characters', () => {
    expect(findModelPrice('gpt-4o')).toBeUndefined();
    expect(findModelPrice('llama3.1:8b')).toBeUndefined();
    expect(findModelPrice('claude-sonnet-40')).toBeUndefined();
    expect(findModelPrice('claude-3-opus-20240229')).toBeUndefined();
    expect(findModelPrice('')).toBeUndefined();
  });
});

describe('priceUsage', () => {
  it('prices a known model from the table and ignores the worker’s figure', () => {
    expect(priceUsage({ model: 'claude-sonnet-4-5-20250929', inputTokens: 1_000_000, outputTokens: 1_000_000, reportedCostUsd: 99 })).toEqual({
      costUsd: 18,
      source: 'price_table',
    });
    expect(priceUsage({ model: 'claude-opus-4-1', inputTokens: 10_000, outputTokens: 2_000 })).toEqual({ costUsd: 0.3, source: 'price_table' });
    expect(priceUsage({ model: 'claude-haiku-4-5', inputTokens: 1_234, outputTokens: 567 })).toEqual({ costUsd: 0.004069, source: 'price_table' });
    expect(priceUsage({ model: 'claude-3-5-haiku-latest', inputTokens: 500_000, outputTokens: 0 })).toEqual({ costUsd: 0.4, source: 'price_table' });
  });

  it('prices the current generation (Sonnet 5.5, Opus 5.5, Opus 4.6 to 4.8 at 5/25)', () => {
    expect(priceUsage({ model: 'claude-sonnet-5-5', inputTokens: 1_000_000, outputTokens: 1_000_000 })).toEqual({ costUsd: 12, source: 'price_table' });
    expect(priceUsage({ model: 'claude-opus-5-5', inputTokens: 1_000_000, outputTokens: 0 })).toEqual({ costUsd: 4, source: 'price_table' });
    expect(priceUsage({ model: 'claude-opus-5', inputTokens: 1_000_000, outputTokens: 0 })).toEqual({ costUsd: 5, source: 'price_table' });
    expect(findModelPrice('claude-opus-4-8')).toEqual({ inputPerMTok: 5, outputPerMTok: 25 });
  });

  it('prices Haiku 5.5 by prompt length: the higher rates above 100,000 input tokens', () => {
    expect(priceUsage({ model: 'claude-haiku-5-5', inputTokens: 100_000, outputTokens: 10_000 })).toEqual({ costUsd: 0.015, source: 'price_table' });
    expect(priceUsage({ model: 'claude-haiku-5-5', inputTokens: 100_001, outputTokens: 10_000 })).toEqual({ costUsd: 0.0750005, source: 'price_table' });
  });

  it('keeps the reported figure for an unknown model, 0 when none was reported', () => {
    expect(priceUsage({ model: 'qwen2.5-coder:32b', inputTokens: 5_000, outputTokens: 900, reportedCostUsd: 0.0123 })).toEqual({
      costUsd: 0.0123,
      source: 'reported',
    });
    expect(priceUsage({ model: 'local-model', inputTokens: 5_000, outputTokens: 900 })).toEqual({ costUsd: 0, source: 'reported' });
  });

  it('costs nothing for no tokens', () => {
    expect(priceUsage({ model: 'claude-opus-4', inputTokens: 0, outputTokens: 0 })).toEqual({ costUsd: 0, source: 'price_table' });
  });
});
