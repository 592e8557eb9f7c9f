// The default models against the installed @anthropic-ai/sdk: each is in its model list, none is
// on its deprecated list (the SDK prints an end-of-life warning on every call to those), and the
// hub's price table prices them. The deprecated list is the SDK's own, read through its behaviour:
// a call with a deprecated model warns, so the test also proves it can see a warning at all.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../testing/fake-anthropic';
import { DEFAULT_HUB_MODEL, DEFAULT_WORKER_MODEL } from './models';
import { findModelPrice } from './prices';

const DEFAULTS = { DEFAULT_WORKER_MODEL, DEFAULT_HUB_MODEL };
const KNOWN_DEPRECATED = 'claude-sonnet-4-5';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});

/** What the SDK prints to console.warn for one call with this model. */
async function warningsFor(model: string): Promise<string[]> {
  const client = new Anthropic({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    return warn.mock.calls.map((call) => call.map(String).join(' '));
  } finally {
    warn.mockRestore();
  }
}

/** The model ids of the SDK's `Model` type (its list of models it knows). */
function sdkModelList(): string[] {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@anthropic-ai/sdk');
  const declarations = fs.readFileSync(path.join(path.dirname(entry), 'resources', 'messages', 'messages.d.ts'), 'utf8');
  const union = /export type Model = ([^;]+);/.exec(declarations)?.[1] ?? '';
  return [...union.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
}

describe('default models', () => {
  it('the SDK warns on a deprecated model (so the check below can fail)', async () => {
    expect((await warningsFor(KNOWN_DEPRECATED)).join('\n')).toContain('deprecated');
  });

  it.each(Object.entries(DEFAULTS))('%s (%s) draws no deprecation warning from the SDK', async (_name, model) => {
    expect(await warningsFor(model)).toEqual([]);
  });

  it.each(Object.entries(DEFAULTS))('%s (%s) is in the SDK’s model list and in the price table', (_name, model) => {
    const known = sdkModelList();
    expect(known.length, 'the SDK’s Model type was not found where this test reads it').toBeGreaterThan(5);
    expect(known).toContain(model);
    expect(findModelPrice(model), `${model} has no price in src/lib/prices.ts`).toBeDefined();
  });
});
