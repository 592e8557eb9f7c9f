import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal';
import { EventStreamLimit, streamOwnerKey } from './stream-limit';
import { Subscription } from './subscription';

const stream = () => new Subscription(() => true, 10, () => undefined);

describe('EventStreamLimit', () => {
  it('ends the oldest of an owner’s streams past the limit, and counts owners apart', () => {
    const limit = new EventStreamLimit(2);
    const [first, second, third] = [stream(), stream(), stream()];
    limit.add('user:1', first);
    limit.add('user:1', second);
    const other = stream();
    limit.add('user:2', other);
    expect(first.isEnding).toBe(false);
    limit.add('user:1', third);
    expect(first.isEnding).toBe(true);
    expect([second.isEnding, third.isEnding, other.isEnding]).toEqual([false, false, false]);
  });

  it('frees a slot when a stream is released or closed', () => {
    const limit = new EventStreamLimit(2);
    const [first, second, third] = [stream(), stream(), stream()];
    const releaseFirst = limit.add('master', first);
    limit.add('master', second);
    releaseFirst();
    releaseFirst();
    expect(limit.count('master')).toBe(1);
    second.close();
    limit.add('master', third);
    expect(limit.count('master')).toBe(1);
    expect(third.isEnding).toBe(false);
  });

  it('keys a user by id, an agent by token id, and the master as one', () => {
    const user: Principal = { kind: 'user', userId: 'u1', username: 'ann', role: 'viewer', sessionId: 's1', via: 'cookie' };
    const agent: Principal = { kind: 'agent', tokenId: 't1', agentId: 'rex', permissions: [], via: 'token' };
    expect(streamOwnerKey(user)).toBe('user:u1');
    expect(streamOwnerKey({ ...user, sessionId: 's2' })).toBe('user:u1');
    expect(streamOwnerKey(agent)).toBe('token:t1');
    expect(streamOwnerKey({ kind: 'master', via: 'token' })).toBe(streamOwnerKey({ kind: 'master', sessionId: 's3', via: 'cookie' }));
  });
});
