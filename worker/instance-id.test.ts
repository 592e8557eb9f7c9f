import { describe, expect, it } from 'vitest';
import { instanceIdSchema } from '../src/lib/agents';
import { newInstanceId } from './instance-id';

describe('newInstanceId', () => {
  it('makes ids the hub accepts, a new one each time', () => {
    const ids = Array.from({ length: 50 }, () => newInstanceId());
    for (const id of ids) expect(instanceIdSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
