// Long-poll claims (tasks.claim waitMs) over real HTTP: a waiting claim is answered by the
// assignment of a task created later, times out empty, gives up its wait when the client goes
// away (no attempt is opened for it), and never holds up the hub's shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient } from '@/lib/hub-client';
import { registerWorker, type TestWorker } from '../../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../../testing/test-hub';

let testHub: TestHub;
let worker: TestWorker;
beforeAll(async () => {
  testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000000000' } });
  worker = await registerWorker(testHub, { id: 'poller', maxConcurrent: 2 });
});
afterAll(async () => {
  await testHub.destroy();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForWaiters(count: number, on: TestHub = testHub): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (on.hub.claimWaiters.size !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} waiting claims, have ${on.hub.claimWaiters.size}`);
    await sleep(10);
  }
}

describe('tasks.claim with waitMs', () => {
  it('waits for work and answers with the task assigned meanwhile', async () => {
    const master = createHubClient({ hubUrl: testHub.url, token: testHub.masterToken });
    const claim = worker.client.tasks.claim.mutate({ limit: 2, waitMs: 20_000 });
    await waitForWaiters(1);
    const created = await master.tasks.create.mutate({ title: 'arrives later', prompt: 'hello' });
    const claimed = await claim;
    expect(claimed.map((task) => task.taskId)).toEqual([created.id]);
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: created.id } });
    expect(task.status).toBe('running');
    expect(task.assignedTo).toBe('poller');
    expect(testHub.hub.claimWaiters.size).toBe(0);
    await worker.client.tasks.report.mutate({ taskId: created.id, attemptId: claimed[0]!.attemptId, status: 'done', output: 'ok', idempotencyKey: 'long-poll-1' });
  });

  it('answers empty once waitMs has passed with nothing assigned', async () => {
    const started = performance.now();
    const claimed = await worker.client.tasks.claim.mutate({ limit: 1, waitMs: 400 });
    expect(claimed).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    expect(testHub.hub.claimWaiters.size).toBe(0);
  });

  it('refuses a wait over the limit, naming the field', async () => {
    await expect(worker.client.tasks.claim.mutate({ limit: 1, waitMs: 30_001 })).rejects.toThrow(/waitMs/);
  });

  it('gives up the wait when the client goes away: the task created afterwards is not claimed', async () => {
    const controller = new AbortController();
    const claim = worker.client.tasks.claim.mutate({ limit: 1, waitMs: 20_000 }, { signal: controller.signal });
    await waitForWaiters(1);
    controller.abort();
    await expect(claim).rejects.toThrow();
    await waitForWaiters(0);
    const master = createHubClient({ hubUrl: testHub.url, token: testHub.masterToken });
    const created = await master.tasks.create.mutate({ title: 'nobody waits', prompt: 'hello' });
    await testHub.hub.dispatcher.settled();
    await sleep(100);
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: created.id } });
    expect(task.status).toBe('assigned');
    expect(await testHub.hub.db.taskAttempt.count({ where: { taskId: created.id } })).toBe(0);
    // The next claim takes it at once.
    const claimed = await worker.client.tasks.claim.mutate({ limit: 1, waitMs: 20_000 });
    expect(claimed.map((entry) => entry.taskId)).toEqual([created.id]);
  });

  it('over REST too: the wait ends when the client goes away', async () => {
    const controller = new AbortController();
    const claim = fetch(`${testHub.url}/api/tasks/claim`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${worker.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ limit: 1, waitMs: 20_000 }),
      signal: controller.signal,
    });
    await waitForWaiters(1);
    controller.abort();
    await expect(claim).rejects.toThrow();
    await waitForWaiters(0);
  });

  it('does not hold up shutdown: the hub answers a waiting claim (empty) as it stops, instead of cutting it', async () => {
    const other = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000000000' } });
    try {
      const poller = await registerWorker(other, { id: 'stopper', maxConcurrent: 1 });
      const claim = poller.client.tasks.claim.mutate({ limit: 1, waitMs: 30_000 }).then(
        (claimed) => ({ claimed }),
        (error: unknown) => ({ error }),
      );
      await waitForWaiters(1, other);
      await other.stop();
      // Cut at the end of the grace period, the call would have failed instead.
      expect(await claim).toEqual({ claimed: [] });
    } finally {
      await other.destroy();
    }
  });
});
