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

  it('splits by UTF-8 bytes without cutting a character', () => {
    const pieces = splitByBytes('ééé', 4);
    expect(pieces).toEqual(['éé', 'é']);
  });
});
