// Units: stored chunks and live stream events join without losing or doubling a chunk.
import { describe, expect, it } from 'vitest';
import { mergeStream } from './stream-merge';

const piece = (content: string, attemptId = 'a1') => ({ attemptId, content });
const text = (pieces: { content: string }[]) => pieces.map((p) => p.content).join('|');

describe('mergeStream', () => {
  it('appends events heard after the load', () => {
    expect(text(mergeStream([piece('one'), piece('two')], [piece('three')]))).toBe('one|two|three');
  });

  it('drops events the load already holds', () => {
    expect(text(mergeStream([piece('one'), piece('two'), piece('three')], [piece('two'), piece('three'), piece('four')]))).toBe(
      'one|two|three|four',
    );
    expect(text(mergeStream([piece('one'), piece('two')], [piece('two')]))).toBe('one|two');
  });

  it('keeps everything when nothing overlaps, including a different attempt with the same text', () => {
    expect(text(mergeStream([piece('one')], [piece('one', 'a2')]))).toBe('one|one');
    expect(text(mergeStream([], [piece('x')]))).toBe('x');
    expect(text(mergeStream([piece('x')], []))).toBe('x');
  });
});
