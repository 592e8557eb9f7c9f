import { describe, expect, it } from 'vitest';
import { hubReason } from './worker';

describe('hubReason', () => {
  it("names the status, the code and the hub's message on one line", () => {
    const refusal = Object.assign(new Error('attempt a1 is stale for task t1\n(the task was requeued)'), { data: { httpStatus: 409, code: 'CONFLICT' } });
    expect(hubReason(refusal)).toBe('409 CONFLICT: attempt a1 is stale for task t1 (the task was requeued)');
    expect(hubReason(new Error('fetch failed'))).toBe('fetch failed');
    expect(hubReason(Object.assign(new Error('x'.repeat(400)), { data: { httpStatus: 500 } }))).toHaveLength('500: '.length + 300);
  });
});
