// Atomic claims under concurrency: 20 workers over HTTP race over 500 tasks; every task runs
// exactly once (one attempt, one done report), none is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient } from '@/lib/hub-client';
import { registerWorker, type TestWorker } from '../../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../../testing/test-hub';

let testHub: TestHub;
beforeAll(async () => {
  testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000000000' } });
});
afterAll(async () => {
  await testHub.destroy();
});

const WORKERS = 20;
const TASKS = 500;

describe('claims', () => {
  it('runs every one of 500 tasks exactly once across 20 concurrent workers', async () => {
    const workers: TestWorker[] = [];
    for (let index = 0; index < WORKERS; index += 1) workers.push(await registerWorker(testHub, { id: `worker-${index}`, maxConcurrent: 4 }));
    const master = createHubClient({ hubUrl: testHub.url, token: testHub.masterToken });
    for (let start = 0; start < TASKS; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, offset) => master.tasks.create.mutate({ title: `t${start + offset}`, prompt: `task ${start + offset}` })));
    }
    const ranBy = new Map<string, string[]>();
    const deadline = Date.now() + 120_000;
    await Promise.all(
      workers.map(async (worker) => {
        // Each worker also tries to claim for itself concurrently with its own reports.
        while (Date.now() < deadline) {
          const done = await testHub.hub.db.task.count({ where: { status: 'done' } });
          if (done >= TASKS) return;
          const claimed = await worker.client.tasks.claim.mutate({ limit: 4 });
          if (claimed.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          await Promise.all(
            claimed.map(async (task) => {
              ranBy.set(task.taskId, [...(ranBy.get(task.taskId) ?? []), worker.id]);
              await worker.client.tasks.report.mutate({ taskId: task.taskId, attemptId: task.attemptId, status: 'done', output: worker.id, idempotencyKey: `done-${task.attemptId}` });
            }),
          );
        }
      }),
    );
    expect(await testHub.hub.db.task.count({ where: { status: 'done' } })).toBe(TASKS);
    expect(ranBy.size).toBe(TASKS);
    expect([...ranBy.values()].filter((runs) => runs.length !== 1)).toEqual([]);
    expect(await testHub.hub.db.taskAttempt.count()).toBe(TASKS);
    expect(await testHub.hub.db.taskAttempt.count({ where: { status: 'done' } })).toBe(TASKS);
    const spread = new Set([...ranBy.values()].map((runs) => runs[0]));
    expect(spread.size).toBe(WORKERS);
  }, 180_000);
});
