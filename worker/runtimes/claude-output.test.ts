import { describe, expect, it } from 'vitest';
import { ClaudeOutputParser } from './claude-output';
import { claudeCommandLine } from './claude-cli';

function parse(pieces: string[]) {
  const chunks: string[] = [];
  const parser = new ClaudeOutputParser((text) => chunks.push(text));
  for (const piece of pieces) parser.push(piece);
  return { outcome: parser.finish(), chunks };
}

const result = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'The answer is 42.',
    total_cost_usd: 0.0123,
    usage: { input_tokens: 12, cache_read_input_tokens: 5000, output_tokens: 34 },
    modelUsage: { 'claude-haiku-4-5-20251001': { inputTokens: 3, outputTokens: 2 }, 'claude-sonnet-4-5-20250929': { inputTokens: 9, outputTokens: 32 } },
    ...fields,
  });

describe('ClaudeOutputParser', () => {
  it('stream-json: streams assistant text as it arrives, lines split anywhere; the result event gives answer and usage', () => {
    const lines = [
      JSON.stringify({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-5-20250929' }),
      JSON.stringify({ type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'Read' }] } }),
      JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: 'file contents' }] } }),
      JSON.stringify({ type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'The answer is 42.' }] } }),
      result(),
    ].join('\n');
    const { outcome, chunks } = parse([lines.slice(0, 37), lines.slice(37, 150), lines.slice(150), '\n']);
    expect(chunks).toEqual(['Let me look.', '\n\nThe answer is 42.']);
    expect(outcome).toEqual({
      output: 'The answer is 42.',
      usage: { model: 'claude-sonnet-4-5-20250929', inputTokens: 12, outputTokens: 34, costUsd: 0.0123 },
      error: null,
      format: 'json',
    });
  });

  it('json: one result object at the end is the one chunk', () => {
    const { outcome, chunks } = parse([`${result({ modelUsage: undefined })}`]);
    expect(chunks).toEqual(['The answer is 42.']);
    expect(outcome.output).toBe('The answer is 42.');
    expect(outcome.usage).toEqual({ model: null, inputTokens: 12, outputTokens: 34, costUsd: 0.0123 });
  });

  it('text: passed through as it is, with no usage', () => {
    const { outcome, chunks } = parse(['  ', 'Hello ', 'world\n']);
    expect(chunks.join('')).toBe('  Hello world\n');
    expect(outcome).toEqual({ output: '  Hello world\n', usage: null, error: null, format: 'text' });
  });

  it('keeps a stray non-JSON line among the events as text', () => {
    const { outcome, chunks } = parse([`{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}]}}\nwarning: something\n`]);
    expect(chunks).toEqual(['hi', '\n\nwarning: something']);
    expect(outcome).toMatchObject({ output: 'hi\n\nwarning: something', usage: null, format: 'json' });
  });

  it('reports an is_error result with its words', () => {
    const { outcome } = parse([result({ is_error: true, subtype: 'error_during_execution', result: 'Credit balance is too low' })]);
    expect(outcome.error).toBe('Credit balance is too low');
  });
});

describe('claudeCommandLine', () => {
  it('asks for stream-json unless the command line names an output format, then the model', () => {
    expect(claudeCommandLine(['claude', '--print'], 'claude-opus-4')).toEqual(['claude', '--print', '--output-format', 'stream-json', '--verbose', '--model', 'claude-opus-4']);
    expect(claudeCommandLine(['claude', '--print', '--output-format', 'text'], null)).toEqual(['claude', '--print', '--output-format', 'text']);
    expect(claudeCommandLine(['claude', '-p', '--output-format=json'])).toEqual(['claude', '-p', '--output-format=json']);
  });
});
