import { describe, expect, it } from 'vitest';
import { ClaimWaiters } from './claim-waiters';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('ClaimWaiters', () => {
  it('wakes the waits of the agent that was assigned work, and only those', async () => {
    const waiters = new ClaimWaiters();
    const rex = waiters.wait('rex', waiters.generation('rex'), 10_000);
    const ada = waiters.wait('ada', waiters.generation('ada'), 10_000);
    expect(waiters.size).toBe(2);
    waiters.notify('rex');
    expect(await settled(rex)).toBe(true);
    expect(await settled(ada)).toBe(false);
    expect(waiters.size).toBe(1);
    waiters.close();
    expect(await settled(ada)).toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('does not sleep through an assignment made between the empty claim and the wait', async () => {
    const waiters = new ClaimWaiters();
    const seen = waiters.generation('rex');
    waiters.notify('rex'); // committed while the empty claim's answer was on its way
    expect(await settled(waiters.wait('rex', seen, 10_000))).toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('ends a wait on timeout and on abort, leaving nothing registered', async () => {
    const waiters = new ClaimWaiters();
    await waiters.wait('rex', 0, 20);
    const controller = new AbortController();
    const aborted = waiters.wait('rex', 0, 10_000, controller.signal);
    expect(waiters.size).toBe(1);
    controller.abort();
    expect(await settled(aborted)).toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('does not wait once closed', async () => {
    const waiters = new ClaimWaiters();
    waiters.close();
    expect(await settled(waiters.wait('rex', 0, 10_000))).toBe(true);
    expect(waiters.size).toBe(0);
  });
});
