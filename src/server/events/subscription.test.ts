import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '@/lib/events';
import { Subscription } from './subscription';

const event = (id: number): MeshEvent => ({ id, type: 'user_created', ts: new Date(0).toISOString(), payload: { userId: String(id), username: 'u', role: 'user' } });

async function take(iterator: AsyncGenerator<{ id: number; type: string }>, count: number) {
  const items: { id: number; type: string }[] = [];
  for (let index = 0; index < count; index += 1) {
    const next = await iterator.next();
    if (next.done) break;
    items.push({ id: next.value.id, type: next.value.type });
  }
  return items;
}

describe('Subscription', () => {
  it('keeps at most its capacity, drops the oldest and sends a resync marker first', async () => {
    const subscription = new Subscription(() => true, 3, () => undefined);
    for (let id = 1; id <= 10; id += 1) subscription.offer(event(id));
    expect(subscription.queued).toBe(3);
    expect(subscription.dropped).toBe(7);
    const items = await take(subscription.items(), 4);
    expect(items).toEqual([
      { id: 0, type: 'resync' },
      { id: 8, type: 'user_created' },
      { id: 9, type: 'user_created' },
      { id: 10, type: 'user_created' },
    ]);
    subscription.close();
  });

  it('puts a backlog before live events without duplicates and applies its filter', async () => {
    const subscription = new Subscription((candidate) => candidate.id % 2 === 1, 100, () => undefined);
    subscription.offer(event(5));
    subscription.offer(event(7));
    subscription.prependBacklog([event(1), event(2), event(3), event(5)], false);
    expect((await take(subscription.items(), 4)).map((item) => item.id)).toEqual([1, 3, 5, 7]);
    subscription.close();
  });

  it('ends its iterator when closed', async () => {
    let closedWith: Subscription | null = null;
    const subscription = new Subscription(() => true, 10, (closed) => {
      closedWith = closed;
    });
    const iterator = subscription.items();
    const pending = iterator.next();
    subscription.close();
    expect((await pending).done).toBe(true);
    expect(closedWith).toBe(subscription);
  });

  it('ends from the hub’s side with one final marker naming the reason, dropping what was queued', async () => {
    const subscription = new Subscription(() => true, 10, () => undefined);
    subscription.offer(event(1));
    subscription.end('stream_limit');
    subscription.offer(event(2));
    const iterator = subscription.items();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ id: 0, type: 'resync', payload: { reason: 'stream_limit' } });
    expect((await iterator.next()).done).toBe(true);
    expect(subscription.isClosed).toBe(true);
  });
});
