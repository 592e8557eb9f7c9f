import { describe, expect, it } from 'vitest';
import { splitByBytes, StreamBatcher } from './stream-batcher';

describe('StreamBatcher', () => {
  it('batches small chunks by time and sends them in order', async () => {
    const sent: string[] = [];
    const batcher = new StreamBatcher(async (content) => {
      sent.push(content);
    }, 20);
    batcher.push('a');
    batcher.push('b');
    await new Promise((resolve) => setTimeout(resolve, 60));
    batcher.push('c');
    await batcher.close();
    expect(sent).toEqual(['ab', 'c']);
  });

  it('stops streaming once the hub refuses the lease', async () => {
    const sent: string[] = [];
    const batcher = new StreamBatcher(async (content) => {
      sent.push(content);
      throw Object.assign(new Error('stale'), { data: { httpStatus: 409 } });
    }, 5);
    batcher.push('first');
    await batcher.flush();
    batcher.push('second');
    await batcher.close();
    expect(sent).toEqual(['first']);
  });

  it('numbers the pieces and sends a failed piece once more under the same number', async () => {
    const sent: [string, number][] = [];
    let failures = 1;
    const batcher = new StreamBatcher(async (content, sequence) => {
      sent.push([content, sequence]);
      if (content === 'second' && failures-- > 0) throw new Error('fetch failed');
    }, 5);
    batcher.push('first');
    await batcher.flush();
    batcher.push('second');
    await batcher.flush();
    batcher.push('third');
    await batcher.close();
    expect(sent).toEqual([
      ['first', 0],
      ['second', 1],
      ['second', 1],
      ['third', 2],
    ]);
  });

  it('drops a piece that fails twice and goes on with the next', async () => {
    const sent: [string, number][] = [];
    const batcher = new StreamBatcher(async (content, sequence) => {
      sent.push([content, sequence]);
      if (content === 'lost') throw new Error('fetch failed');
    }, 5);
    batcher.push('lost');
    await batcher.flush();
    batcher.push('kept');
    await batcher.close();
    expect(sent).toEqual([
      ['lost', 0],
      ['lost', 0],
      ['kept', 1],
    ]);
  });

  it('splits by UTF-8 bytes without cutting a character', () => {
    const pieces = splitByBytes('ééé', 4);
    expect(pieces).toEqual(['éé', 'é']);
  });
});
