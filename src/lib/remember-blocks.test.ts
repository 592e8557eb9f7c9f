import { describe, expect, it } from 'vitest';
import { MAX_REMEMBER_BLOCKS, parseRememberBlocks } from './remember-blocks';

describe('parseRememberBlocks', () => {
  it('finds blocks anywhere in the output, trimmed', () => {
    const text = 'Findings:\n[REMEMBER] storekit.price: $4.99 a month [/REMEMBER]\nmore text [REMEMBER]deploy-day:Friday[/REMEMBER] end';
    expect(parseRememberBlocks(text)).toEqual([
      { key: 'storekit.price', value: '$4.99 a month' },
      { key: 'deploy-day', value: 'Friday' },
    ]);
  });

  it('keeps colons in keys when the separator is a colon and a space', () => {
    expect(parseRememberBlocks('[REMEMBER] project:alpha:owner: rex and jules [/REMEMBER]')).toEqual([{ key: 'project:alpha:owner', value: 'rex and jules' }]);
  });

  it('keeps multi-line values and lets a later block with the same key win', () => {
    const text = '[REMEMBER] plan: one\ntwo [/REMEMBER] [REMEMBER] plan: three [/REMEMBER]';
    expect(parseRememberBlocks(text)).toEqual([{ key: 'plan', value: 'three' }]);
  });

  it('skips bad keys, empty values, unclosed blocks and over-limit values', () => {
    const text = [
      '[REMEMBER] bad key: x [/REMEMBER]',
      '[REMEMBER] ../../etc: x [/REMEMBER]',
      '[REMEMBER] empty:   [/REMEMBER]',
      '[REMEMBER] no separator [/REMEMBER]',
      `[REMEMBER] huge: ${'x'.repeat(9000)} [/REMEMBER]`,
      `[REMEMBER] ${'k'.repeat(129)}: long key [/REMEMBER]`,
      '[REMEMBER] fine: kept [/REMEMBER]',
      '[REMEMBER] unclosed: never ends',
    ].join('\n');
    expect(parseRememberBlocks(text)).toEqual([{ key: 'fine', value: 'kept' }]);
  });

  it('takes the inner block when tags nest or repeat', () => {
    expect(parseRememberBlocks('[REMEMBER] outer: [REMEMBER] inner: yes [/REMEMBER] tail [/REMEMBER]')).toEqual([{ key: 'inner', value: 'yes' }]);
  });

  it('ignores lower-case or mangled tags', () => {
    expect(parseRememberBlocks('[remember] a: b [/remember] [REMEMBER a: b [/REMEMBER] [/REMEMBER][REMEMBER]')).toEqual([]);
  });

  it('stops after the block limit', () => {
    const text = Array.from({ length: 50 }, (_, index) => `[REMEMBER] k${index}: v${index} [/REMEMBER]`).join(' ');
    const blocks = parseRememberBlocks(text);
    expect(blocks).toHaveLength(MAX_REMEMBER_BLOCKS);
    expect(blocks[0]).toEqual({ key: 'k0', value: 'v0' });
  });

  it('handles megabytes of hostile tags', () => {
    expect(parseRememberBlocks('[REMEMBER]'.repeat(200_000))).toEqual([]);
    expect(parseRememberBlocks('[REMEMBER]'.repeat(100_000) + 'k: v[/REMEMBER]')).toEqual([{ key: 'k', value: 'v' }]);
    expect(parseRememberBlocks('[/REMEMBER]'.repeat(100_000))).toEqual([]);
    expect(parseRememberBlocks(': '.repeat(500_000))).toEqual([]);
  });
});
