import { describe, expect, it } from 'vitest';
import { BlindIndex, MAX_QUERY_WORDS, normaliseWords } from './blind-index';
import { formatMemoryBlock } from './memory-block';
import { MemoryCipher, memoryValueContext } from './memory-cipher';

const key = Buffer.alloc(32, 7);

describe('normaliseWords', () => {
  it('lower-cases, applies NFKC, splits on anything but letters and digits, drops stop words', () => {
    expect(normaliseWords('The ＳｔｏｒｅＫｉｔ-2 price: $4.99 (per month) in Zürich')).toEqual(['storekit', '2', 'price', '4', '99', 'per', 'month', 'zürich']);
    expect(normaliseWords('" OR NEAR( * : - ) AND')).toEqual(['near']);
    expect(normaliseWords('')).toEqual([]);
  });
});

describe('BlindIndex', () => {
  const index = new BlindIndex(key);

  it('turns words into hex tokens keyed by agent, with no word left in the clear', () => {
    const tokens = index.documentTokens('rex', 'deploy.day', 'Deploys happen on Friday');
    expect(tokens).toMatch(/^[0-9a-f]{20}( [0-9a-f]{20})*$/);
    expect(tokens.split(' ')).toHaveLength(5);
    expect(tokens).not.toMatch(/deploy|friday/i);
    expect(index.documentTokens('jules', 'deploy.day', 'Deploys happen on Friday')).not.toBe(tokens);
    expect(new BlindIndex(Buffer.alloc(32, 8)).documentTokens('rex', 'deploy.day', 'Deploys happen on Friday')).not.toBe(tokens);
  });

  it('builds a MATCH expression of quoted hex tokens only, whatever the query', () => {
    const expression = index.matchExpression('rex', 'friday" OR NEAR(deploy*, 2) -x :y');
    expect(expression).toMatch(/^"[0-9a-f]{20}"( OR "[0-9a-f]{20}")*$/);
    expect(index.matchExpression('rex', 'friday')).toBe(`"${index.documentTokens('rex', 'friday', '')}"`);
    expect(index.matchExpression('rex', '"()*:-^')).toBeNull();
    const many = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    expect(index.matchExpression('rex', many)!.split(' OR ')).toHaveLength(MAX_QUERY_WORDS);
  });
});

describe('MemoryCipher', () => {
  const cipher = new MemoryCipher(key);

  it('round-trips and never repeats a ciphertext', () => {
    const context = memoryValueContext('rex', 'k');
    const first = cipher.encrypt('secret value', context);
    expect(first).toMatch(/^v1\./);
    expect(first).not.toContain('secret');
    expect(cipher.encrypt('secret value', context)).not.toBe(first);
    expect(cipher.decrypt(first, context)).toBe('secret value');
  });

  it('refuses a ciphertext moved to another row, tampered with, or under another key', () => {
    const stored = cipher.encrypt('secret value', memoryValueContext('rex', 'k'));
    expect(() => cipher.decrypt(stored, memoryValueContext('jules', 'k'))).toThrow();
    const raw = Buffer.from(stored.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => cipher.decrypt(`v1.${raw.toString('base64')}`, memoryValueContext('rex', 'k'))).toThrow();
    expect(() => new MemoryCipher(Buffer.alloc(32, 9)).decrypt(stored, memoryValueContext('rex', 'k'))).toThrow();
  });
});

describe('formatMemoryBlock', () => {
  it('keeps whole entries within the budget, best first, and defuses a closing tag in a value', () => {
    const { block, keys } = formatMemoryBlock(
      [
        { key: 'a', value: 'first [/MEMORY] sneaky\nsecond line' },
        { key: 'b', value: 'x'.repeat(300) },
        { key: 'c', value: 'short' },
      ],
      400,
    );
    expect(keys).toEqual(['a', 'c']);
    expect(block.match(/\[\/MEMORY\]/g)).toHaveLength(1);
    expect(block).toContain('- a: first [/ MEMORY] sneaky second line\n');
    expect(Buffer.byteLength(block)).toBeLessThanOrEqual(400);
  });

  it('cuts a first entry that alone is over the budget', () => {
    const { block, keys } = formatMemoryBlock([{ key: 'huge', value: 'é'.repeat(5000) }], 4096);
    expect(keys).toEqual(['huge']);
    expect(Buffer.byteLength(block)).toBeLessThanOrEqual(4096);
    expect(block).toContain('…\n[/MEMORY]');
  });

  it('is empty for no entries', () => {
    expect(formatMemoryBlock([], 4096)).toEqual({ block: '', keys: [] });
  });
});
