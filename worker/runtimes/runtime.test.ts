import { describe, expect, it } from 'vitest';
import { findModelPrice, priceUsage } from '../../src/lib/prices';
import { estimateTokens, estimateUsage, isEstimatedUsage } from './runtime';

describe('estimateUsage', () => {
  it('counts about four characters a token, prompt in and output out, under estimate:<runtime>', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    const usage = estimateUsage('command', 'x'.repeat(40), 'y'.repeat(401));
    expect(usage).toEqual({ model: 'estimate:command', inputTokens: 10, outputTokens: 101, costUsd: 0 });
    expect(isEstimatedUsage(usage)).toBe(true);
    expect(isEstimatedUsage({ model: 'claude-sonnet-4-5' })).toBe(false);
  });

  it('is unknown to the hub price table, so the hub keeps the worker figure', () => {
    expect(findModelPrice('estimate:claude-cli')).toBeUndefined();
    expect(priceUsage({ model: 'estimate:claude-cli', inputTokens: 1000, outputTokens: 1000, reportedCostUsd: 0 })).toEqual({ costUsd: 0, source: 'reported' });
  });

  it('prices the estimate when the task named a model the table knows', () => {
    const usage = estimateUsage('claude-cli', 'p'.repeat(4_000), 'o'.repeat(4_000), 'claude-sonnet-4-5');
    expect(usage.model).toBe('estimate:claude-cli');
    expect(usage.costUsd).toBeCloseTo((1000 * 3 + 1000 * 15) / 1e6, 10);
    expect(estimateUsage('claude-cli', 'p', 'o', 'some-local-model').costUsd).toBe(0);
  });
});
