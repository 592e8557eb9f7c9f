// Batches over real HTTP: tasks.createMany (all or nothing, one dispatch), tasks.reportMany
// (one answer per report, a refused one changing nothing, claimNext taking the next work), and
// a retried task claimed again after earlier attempts.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TASKS_PER_BATCH } from '@/lib/tasks';
import { collectEvents, waitForSubscribers } from '../../../testing/event-collector';
import { registerWorker } from '../../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../../testing/test-hub';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

const task = (index: number) => ({ title: `batch ${index}`, prompt: `prompt ${index}` });

describe('tasks.createMany', () => {
  it('creates every task with its event and dispatches them', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const watcher = collectEvents(testHub.client({ token: testHub.masterToken }));
    await waitForSubscribers(testHub, 1);
    const master = testHub.client({ token: testHub.masterToken });
    const { tasks } = await master.tasks.createMany.mutate({ tasks: [task(0), task(1), task(2)] });
    expect(tasks.map((created) => created.title)).toEqual(['batch 0', 'batch 1', 'batch 2']);
    await testHub.hub.dispatcher.settled();
    await watcher.waitFor('task_assigned');
    const stored = await testHub.hub.db.task.findMany({ orderBy: { id: 'asc' } });
    expect(stored.map((row) => row.status)).toEqual(['assigned', 'assigned', 'queued']);
    expect(stored.filter((row) => row.assignedTo === 'rex')).toHaveLength(2);
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'task_created' } })).toBe(3);
    expect((await worker.client.tasks.claim.mutate({})).map((claimed) => claimed.title)).toEqual(['batch 0', 'batch 1']);
    watcher.stop();
  });

  it('refuses the whole batch when one task is invalid or the batch is too large, naming the field', async () => {
    testHub = await startTestHub();
    const headers = { Authorization: `Bearer ${testHub.masterToken}` };
    const invalid = await rawCall(testHub.url, 'tasks.createMany', {
      type: 'mutation',
      input: { tasks: [task(0), task(1), { title: 'empty', prompt: '   ' }] },
      headers,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.data.field).toBe('tasks.2.prompt');
    const tooMany = await rawCall(testHub.url, 'tasks.createMany', {
      type: 'mutation',
      input: { tasks: Array.from({ length: MAX_TASKS_PER_BATCH + 1 }, (_, index) => task(index)) },
      headers,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.data.field).toBe('tasks');
    expect(await testHub.hub.db.task.count()).toBe(0);
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'task_created' } })).toBe(0);
  });
});

describe('tasks.reportMany', () => {
  it('answers each report on its own: a stale lease is refused and changes nothing, the others complete', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 3 });
    const master = testHub.client({ token: testHub.masterToken });
    await master.tasks.createMany.mutate({ tasks: [task(0), task(1), task(2)] });
    await testHub.hub.dispatcher.settled();
    const claimed = await worker.client.tasks.claim.mutate({});
    expect(claimed).toHaveLength(3);
    const report = (index: number, attemptId = claimed[index]!.attemptId) => ({
      taskId: claimed[index]!.taskId,
      attemptId,
      status: 'done' as const,
      output: `out ${index}`,
      idempotencyKey: `batch-report-${index}`,
    });
    const { results, claimed: next } = await worker.client.tasks.reportMany.mutate({ reports: [report(0), report(1, 'not-the-attempt'), report(2)] });
    expect(results).toEqual([
      { ok: true, taskId: claimed[0]!.taskId, status: 'done', attempts: 1 },
      { ok: false, taskId: claimed[1]!.taskId, error: { code: 'conflict', message: expect.stringContaining('stale') } },
      { ok: true, taskId: claimed[2]!.taskId, status: 'done', attempts: 1 },
    ]);
    expect(next).toEqual([]);
    const stored = await testHub.hub.db.task.findMany({ orderBy: { id: 'asc' }, include: { attemptRecords: true } });
    expect(stored.map((row) => row.status)).toEqual(['done', 'running', 'done']);
    expect(stored[1]!.output).toBeNull();
    expect(stored[1]!.attemptRecords[0]!.status).toBe('running');
    // The refused report wrote no idempotency key: sent again with the right lease, it completes.
    const again = await worker.client.tasks.reportMany.mutate({ reports: [{ ...report(1), idempotencyKey: 'batch-report-1' }] });
    expect(again.results[0]).toMatchObject({ ok: true, status: 'done' });
    const agent = await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } });
    expect(agent).toMatchObject({ activeTasks: 0, status: 'online' });
  });

  it('claims the agent’s next work in the same call with claimNext', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 1 });
    const master = testHub.client({ token: testHub.masterToken });
    await master.tasks.createMany.mutate({ tasks: [task(0), task(1)] });
    await testHub.hub.dispatcher.settled();
    const [first] = await worker.client.tasks.claim.mutate({});
    const answer = await worker.client.tasks.reportMany.mutate({
      reports: [{ taskId: first!.taskId, attemptId: first!.attemptId, status: 'done', output: 'one', idempotencyKey: 'next-report-0' }],
      claimNext: 1,
    });
    expect(answer.results[0]).toMatchObject({ ok: true, status: 'done' });
    expect(answer.claimed).toHaveLength(1);
    expect(answer.claimed[0]).toMatchObject({ title: 'batch 1', attempt: 1 });
    const second = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: answer.claimed[0]!.taskId } });
    expect(second).toMatchObject({ status: 'running', currentAttemptId: answer.claimed[0]!.attemptId });
    // claimNext is for agent tokens; an operator names the agent with tasks.claim instead.
    const refused = await rawCall(testHub.url, 'tasks.reportMany', {
      type: 'mutation',
      input: { reports: [{ taskId: second.id, status: 'done' }], claimNext: 1 },
      headers: { Authorization: `Bearer ${testHub.masterToken}` },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.data.field).toBe('claimNext');
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: second.id } })).status).toBe('running');
  });
});

describe('retry', () => {
  it('lets an agent claim a retried task again after earlier attempts (attempt numbers keep counting)', async () => {
    testHub = await startTestHub({ env: { MESH_MAX_ATTEMPTS: '1' } });
    const worker = await registerWorker(testHub, { id: 'rex' });
    const master = testHub.client({ token: testHub.masterToken });
    const { tasks } = await master.tasks.createMany.mutate({ tasks: [task(0)] });
    await testHub.hub.dispatcher.settled();
    const [first] = await worker.client.tasks.claim.mutate({});
    await worker.client.tasks.report.mutate({ taskId: first!.taskId, attemptId: first!.attemptId, status: 'failed', error: 'boom', idempotencyKey: 'retry-fail-1' });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: tasks[0]!.id } })).status).toBe('failed');
    await master.tasks.retry.mutate({ taskId: tasks[0]!.id });
    await testHub.hub.dispatcher.settled();
    const [second] = await worker.client.tasks.claim.mutate({});
    expect(second).toMatchObject({ taskId: tasks[0]!.id, attempt: 1 });
    const attempts = await testHub.hub.db.taskAttempt.findMany({ where: { taskId: tasks[0]!.id }, orderBy: { number: 'asc' } });
    expect(attempts.map((attempt) => [attempt.number, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'running'],
    ]);
  });
});
