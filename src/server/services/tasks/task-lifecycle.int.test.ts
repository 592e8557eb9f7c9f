// A task's life over real HTTP under leases: claim → stream → report, idempotent reports,
// stale attempts (409) and foreign agents (403) changing nothing, requeue until the attempt
// limit, handoff, cancel reaching the worker, budgets, and the size limits.
import { afterEach, describe, expect, it } from 'vitest';
import { CONTINUATION_PREFIX } from '@/lib/tasks';
import { collectEvents, waitForSubscribers } from '../../../testing/event-collector';
import { createTask, registerWorker } from '../../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../../testing/test-hub';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

describe('task lifecycle', () => {
  it('claim opens an attempt; chunks stream as events before completion; the report records output and cost', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', capabilities: ['research'] });
    const watcher = collectEvents(worker.client);
    await waitForSubscribers(testHub, 1);
    const task = await createTask(testHub, { title: 'Research', prompt: 'find things', requiredCapability: 'research' });
    await watcher.waitFor('task_assigned');

    const [claimed] = await worker.client.tasks.claim.mutate({});
    expect(claimed).toMatchObject({ taskId: task.id, attempt: 1, prompt: 'find things' });
    await worker.client.tasks.stream.mutate({ taskId: task.id, attemptId: claimed!.attemptId, content: 'partial ' });
    const streamed = await watcher.waitFor('task_stream');
    expect(streamed.payload.content).toBe('partial ');
    expect(watcher.events.some((event) => event.type === 'task_completed')).toBe(false);

    const report = {
      taskId: task.id,
      attemptId: claimed!.attemptId,
      status: 'done' as const,
      output: 'partial result',
      usage: { model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 500 },
      idempotencyKey: 'report-key-1',
    };
    expect(await worker.client.tasks.report.mutate(report)).toEqual({ taskId: task.id, status: 'done', attempts: 1 });
    // Resent (the worker never got the answer): same answer, nothing new written.
    expect(await worker.client.tasks.report.mutate(report)).toEqual({ taskId: task.id, status: 'done', attempts: 1 });
    await watcher.waitFor('task_completed');
    const stored = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: true, costs: true } });
    expect(stored).toMatchObject({ status: 'done', output: 'partial result', attempts: 1 });
    expect(stored.attemptRecords).toHaveLength(1);
    expect(stored.attemptRecords[0]!.status).toBe('done');
    expect(stored.costs).toHaveLength(1);
    expect(stored.costs[0]).toMatchObject({ model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 500, costSource: 'price_table' });
    expect(stored.costs[0]!.costUsd).toBeCloseTo((1000 * 3 + 500 * 15) / 1_000_000);
    const detail = await worker.client.tasks.get.query({ taskId: task.id });
    expect(detail.attemptHistory[0]).toMatchObject({ agentId: 'rex', status: 'done' });
    const chunks = await worker.client.tasks.chunks.query({ taskId: task.id });
    expect(chunks.chunks.map((chunk) => chunk.content)).toEqual(['partial ']);
    watcher.stop();
  });

  it('refuses a stale attempt with 409 and another agent with 403, changing nothing', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const intruder = await registerWorker(testHub, { id: 'intruder', maxConcurrent: 0 });
    const task = await createTask(testHub, {});
    const [claimed] = await rex.client.tasks.claim.mutate({});

    const stale = await rawCall(testHub.url, 'tasks.stream', {
      type: 'mutation',
      input: { taskId: task.id, attemptId: 'not-the-attempt', content: 'x' },
      headers: { Authorization: `Bearer ${rex.token}` },
    });
    expect(stale.status).toBe(409);
    const foreignHandoff = await rawCall(testHub.url, 'tasks.handoff', {
      type: 'mutation',
      input: { taskId: task.id, attemptId: claimed!.attemptId, partialOutput: 'stolen' },
      headers: { Authorization: `Bearer ${intruder.token}` },
    });
    expect(foreignHandoff.status).toBe(403);
    const foreignReport = await rawCall(testHub.url, 'tasks.report', {
      type: 'mutation',
      input: { taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: 'forged', idempotencyKey: 'forged-report' },
      headers: { Authorization: `Bearer ${intruder.token}` },
    });
    expect(foreignReport.status).toBe(403);
    const after = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(after).toMatchObject({ status: 'running', output: null, currentAttemptId: claimed!.attemptId, streamBytes: 0 });
    expect(await testHub.hub.db.task.count()).toBe(1);
  });

  it('requeues a failed task until its 3rd attempt, then fails it with one alert', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    const task = await createTask(testHub, {});
    const statuses: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [claimed] = await worker.client.tasks.claim.mutate({});
      expect(claimed!.attempt).toBe(attempt);
      const result = await worker.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'failed', error: `try ${attempt}`, idempotencyKey: `fail-${attempt}-key` });
      statuses.push(result.status);
      await testHub.hub.dispatcher.settled();
    }
    expect(statuses).toEqual(['queued', 'queued', 'failed']);
    const stored = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored).toMatchObject({ status: 'failed', attempts: 3, error: 'try 3' });
    expect(await testHub.hub.db.alertSent.count({ where: { kind: 'task_failed', dedupKey: task.id } })).toBe(1);
  });

  it('hands off: the original is suspended with its partial output, a continuation is dispatched', async () => {
    testHub = await startTestHub();
    const phone = await registerWorker(testHub, { id: 'n0d3-1', capabilities: ['research'], preset: 'mobile' });
    const task = await createTask(testHub, { title: 'Long research', prompt: 'research deeply', requiredCapability: 'research', priority: 40 });
    const [claimed] = await phone.client.tasks.claim.mutate({});
    const watcher = collectEvents(testHub.client({ token: testHub.masterToken }));
    await waitForSubscribers(testHub, 1);
    const result = await phone.client.tasks.handoff.mutate({ taskId: task.id, attemptId: claimed!.attemptId, partialOutput: 'half done' });
    await testHub.hub.dispatcher.settled();
    const original = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(original).toMatchObject({ status: 'suspended', output: 'half done' });
    const continuation = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: result.continuationTaskId } });
    expect(continuation.prompt.startsWith(`${CONTINUATION_PREFIX}\nhalf done`)).toBe(true);
    expect(continuation.prompt).toContain('research deeply');
    expect(continuation).toMatchObject({ priority: 50, requiredCapability: 'research', continuesTaskId: task.id });
    // The phone is free again and the only capable agent: the continuation is assigned to it.
    expect(continuation.status).toBe('assigned');
    const event = await watcher.waitFor('task_handoff');
    expect(event.payload).toEqual({ taskId: task.id, continuationTaskId: continuation.id, fromAgentId: 'n0d3-1' });
    watcher.stop();
  });

  it('tells the worker when its running task is cancelled', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    const task = await createTask(testHub, {});
    await worker.client.tasks.claim.mutate({});
    const workerEvents = collectEvents(worker.client);
    await waitForSubscribers(testHub, 1);
    await testHub.client({ token: testHub.masterToken }).tasks.cancel.mutate({ taskId: task.id });
    const cancelled = await workerEvents.waitFor('task_cancelled');
    expect(cancelled.payload.taskId).toBe(task.id);
    const attempt = await testHub.hub.db.taskAttempt.findFirstOrThrow({ where: { taskId: task.id } });
    expect(attempt.status).toBe('cancelled');
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).activeTasks).toBe(0);
    workerEvents.stop();
  });

  it('refuses a claim over the daily token budget with a clear error', async () => {
    testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000' } });
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    await createTask(testHub, {});
    const [claimed] = await worker.client.tasks.claim.mutate({});
    await worker.client.tasks.report.mutate({
      taskId: claimed!.taskId,
      attemptId: claimed!.attemptId,
      status: 'done',
      usage: { model: 'claude-haiku-4-5', inputTokens: 900, outputTokens: 200 },
      idempotencyKey: 'budget-report',
    });
    await createTask(testHub, {});
    const refused = await rawCall(testHub.url, 'tasks.claim', { type: 'mutation', input: {}, headers: { Authorization: `Bearer ${worker.token}` } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain('daily token budget');
    // Over budget the dispatcher gives it nothing more either.
    expect(await testHub.hub.db.task.count({ where: { status: 'queued' } })).toBe(1);
  });

  it('refuses an oversized prompt and chunk with 400 naming the limit; nothing written', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    const master = { Authorization: `Bearer ${testHub.masterToken}` };
    const bigPrompt = await rawCall(testHub.url, 'tasks.create', { type: 'mutation', input: { title: 't', prompt: 'x'.repeat(8 * 1024 + 1) }, headers: master });
    expect(bigPrompt.status).toBe(400);
    expect(bigPrompt.body.error.data).toMatchObject({ field: 'prompt', limit: 'promptBytes' });
    expect(await testHub.hub.db.task.count()).toBe(0);

    const task = await createTask(testHub, {});
    const [claimed] = await worker.client.tasks.claim.mutate({});
    const bigChunk = await rawCall(testHub.url, 'tasks.stream', {
      type: 'mutation',
      input: { taskId: task.id, attemptId: claimed!.attemptId, content: 'y'.repeat(64 * 1024 + 1) },
      headers: { Authorization: `Bearer ${worker.token}` },
    });
    expect(bigChunk.status).toBe(400);
    expect(bigChunk.body.error.data).toMatchObject({ field: 'content', limit: 'streamChunkBytes' });
    expect(await testHub.hub.db.taskStreamChunk.count()).toBe(0);
    const bigHandoff = await rawCall(testHub.url, 'tasks.handoff', {
      type: 'mutation',
      input: { taskId: task.id, attemptId: claimed!.attemptId, partialOutput: 'z'.repeat(32 * 1024 + 1) },
      headers: { Authorization: `Bearer ${worker.token}` },
    });
    expect(bigHandoff.status).toBe(400);
    expect(bigHandoff.body.error.data.limit).toBe('handoffPartialOutputBytes');
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('running');
  });

  it('caps the stream log at 4 MB (oldest chunks dropped, the task says so) and the output at 1 MB', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    const task = await createTask(testHub, {});
    const [claimed] = await worker.client.tasks.claim.mutate({});
    const chunk = 'c'.repeat(64 * 1024);
    for (let index = 0; index < 65; index += 1) {
      await worker.client.tasks.stream.mutate({ taskId: task.id, attemptId: claimed!.attemptId, content: chunk });
    }
    const afterStream = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(afterStream.streamTruncated).toBe(true);
    expect(afterStream.streamBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })).toBe(64);

    await worker.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: 'o'.repeat(1024 * 1024 + 10), idempotencyKey: 'big-output' });
    const done = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(Buffer.byteLength(done.output!, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
    expect(done.output!.endsWith('[output truncated at the hub’s 1 MB limit]')).toBe(true);
  });
});
