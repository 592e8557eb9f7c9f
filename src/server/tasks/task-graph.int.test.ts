// Task dependencies and pipelines over real HTTP on a real hub (spec section 15): children wait,
// queued and never dispatched, until their parents are done, then get the parents' outputs; a
// cycle is refused with nothing written; a failed or cancelled parent cancels its waiting
// descendants and its retry re-arms them; pipelines show each step's state.
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, utf8Bytes } from '@/lib/limits';
import { PARENT_OUTPUTS_HEADER } from '@/lib/task-graph';
import { collectEvents, waitForSubscribers } from '../../testing/event-collector';
import { registerWorker, runClaimed, type TestWorker } from '../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

const master = () => testHub.client({ token: testHub.masterToken });
const task = (id: string) => testHub.hub.db.task.findUniqueOrThrow({ where: { id } });
const bearer = () => ({ Authorization: `Bearer ${testHub.masterToken}` });

/** Claims what is assigned to the worker and reports it failed. */
async function failClaimed(worker: TestWorker, error = 'model crashed') {
  const claimed = await worker.client.tasks.claim.mutate({});
  for (const item of claimed) await worker.client.tasks.report.mutate({ taskId: item.taskId, attemptId: item.attemptId, status: 'failed', error, idempotencyKey: `fail-${item.attemptId}` });
  await testHub.hub.dispatcher.settled();
  return claimed;
}

describe('task dependencies', () => {
  it('keeps a child queued and undispatched until its parents are done, then injects their outputs and dispatches it', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 4 });
    const watcher = collectEvents(rex.client);
    await waitForSubscribers(testHub, 1);
    const { tasks } = await master().tasks.createMany.mutate({
      tasks: [
        { title: 'Gather prices', prompt: 'list the prices' },
        { title: 'Gather reviews', prompt: 'list the reviews' },
        { title: 'Compare', prompt: 'compare prices and reviews', dependsOn: [0, 1] },
      ],
    });
    await testHub.hub.dispatcher.settled();
    const [prices, reviews, compare] = tasks;
    expect((await task(prices!.id)).status).toBe('assigned');
    expect((await task(reviews!.id)).status).toBe('assigned');
    // Free slots and a capable agent, yet the child waits.
    expect(await task(compare!.id)).toMatchObject({ status: 'queued', assignedTo: null, unfinishedParents: 2 });
    expect((await testHub.hub.taskRepository.unfinishedParents([compare!.id])).get(compare!.id)!.map((parent) => parent.title)).toEqual(['Gather prices', 'Gather reviews']);
    // Why it waits, as tasks.get and tasks.list say it.
    const waitingFor = { kind: 'waiting_for_parent', parentId: prices!.id, parentTitle: 'Gather prices' };
    expect((await master().tasks.get.query({ taskId: compare!.id })).waitReason).toEqual(waitingFor);
    expect((await master().tasks.list.query({ ids: [compare!.id] })).tasks[0]!.waitReason).toEqual(waitingFor);

    const claimed = await rex.client.tasks.claim.mutate({});
    expect(claimed.map((item) => item.taskId).sort()).toEqual([prices!.id, reviews!.id].sort());
    const byId = new Map(claimed.map((item) => [item.taskId, item]));
    await rex.client.tasks.report.mutate({ taskId: prices!.id, attemptId: byId.get(prices!.id)!.attemptId, status: 'done', output: 'PRICES: 4.99 and 9.99', idempotencyKey: 'done-prices' });
    await testHub.hub.dispatcher.settled();
    expect(await task(compare!.id)).toMatchObject({ status: 'queued', unfinishedParents: 1, prompt: 'compare prices and reviews' });

    await rex.client.tasks.report.mutate({ taskId: reviews!.id, attemptId: byId.get(reviews!.id)!.attemptId, status: 'done', output: 'REVIEWS: mostly positive', idempotencyKey: 'done-reviews' });
    await testHub.hub.dispatcher.settled();
    const child = await task(compare!.id);
    expect(child).toMatchObject({ status: 'assigned', assignedTo: 'rex', unfinishedParents: 0 });
    expect(child.prompt.startsWith(PARENT_OUTPUTS_HEADER)).toBe(true);
    expect(child.prompt).toContain(`<<< output of "Gather prices" (task ${prices!.id})\nPRICES: 4.99 and 9.99\n>>>`);
    expect(child.prompt).toContain(`<<< output of "Gather reviews" (task ${reviews!.id})\nREVIEWS: mostly positive\n>>>`);
    expect(child.prompt.endsWith('YOUR TASK:\ncompare prices and reviews')).toBe(true);
    const ready = await watcher.waitFor('task_dependencies_met');
    expect(ready.payload).toMatchObject({ taskId: compare!.id, parentIds: [prices!.id, reviews!.id] });
    const [claimedChild] = await rex.client.tasks.claim.mutate({});
    expect(claimedChild!.prompt).toBe(child.prompt);
    watcher.stop();

    // The detail page's links.
    const links = await master().tasks.links.query({ taskId: compare!.id });
    expect(links.parents.map((parent) => parent.title).sort()).toEqual(['Gather prices', 'Gather reviews']);
    expect(links.children).toEqual([]);
    expect((await master().tasks.links.query({ taskId: prices!.id })).children).toEqual([expect.objectContaining({ id: compare!.id, title: 'Compare' })]);
  });

  it('caps the injected outputs so the prompt stays within the prompt limit', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const { tasks } = await master().tasks.createMany.mutate({
      tasks: [
        { title: 'Big', prompt: 'write a lot' },
        { title: 'Small', prompt: 'write a little' },
        { title: 'Use both', prompt: 'x'.repeat(2_000), dependsOn: [0, 1] },
      ],
    });
    await testHub.hub.dispatcher.settled();
    const claimed = await rex.client.tasks.claim.mutate({});
    for (const item of claimed) {
      const output = item.taskId === tasks[0]!.id ? 'B'.repeat(200_000) : 'small output';
      await rex.client.tasks.report.mutate({ taskId: item.taskId, attemptId: item.attemptId, status: 'done', output, idempotencyKey: `done-${item.attemptId}` });
    }
    await testHub.hub.dispatcher.settled();
    const child = await task(tasks[2]!.id);
    expect(utf8Bytes(child.prompt)).toBeLessThanOrEqual(LIMITS.promptBytes);
    expect(child.prompt).toContain('small output');
    expect(child.prompt).toContain('[output truncated to fit the prompt limit]');
    expect(child.prompt.endsWith(`YOUR TASK:\n${'x'.repeat(2_000)}`)).toBe(true);
  });

  it('injects at once when every parent named by tasks.create is done already', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const parent = await master().tasks.create.mutate({ title: 'Draft', prompt: 'draft it' });
    await testHub.hub.dispatcher.settled();
    await runClaimed(rex, 'the draft');
    const child = await master().tasks.create.mutate({ title: 'Polish', prompt: 'polish it', dependsOn: [parent.id] });
    await testHub.hub.dispatcher.settled();
    const stored = await task(child.id);
    expect(stored.status).toBe('assigned');
    expect(stored.prompt).toContain(`<<< output of "Draft" (task ${parent.id})\nthe draft\n>>>`);
  });

  it('refuses a cycle with 400 naming the task, and writes nothing', async () => {
    testHub = await startTestHub();
    const before = await testHub.hub.db.task.count();
    const cycle = await rawCall(testHub.url, 'tasks.createMany', {
      type: 'mutation',
      headers: bearer(),
      input: {
        tasks: [
          { title: 'Plan', prompt: 'plan', dependsOn: [2] },
          { title: 'Build', prompt: 'build', dependsOn: [0] },
          { title: 'Check', prompt: 'check', dependsOn: [1] },
        ],
      },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toMatch(/tasks\[0\]\.dependsOn: task "Plan" \(tasks\[0\]\) would depend on itself/);
    expect(cycle.body.error.data.field).toBe('tasks[0].dependsOn');

    const self = await rawCall(testHub.url, 'tasks.createMany', { type: 'mutation', headers: bearer(), input: { tasks: [{ title: 'Loop', prompt: 'loop', dependsOn: [0] }] } });
    expect(self.status).toBe(400);
    expect(self.body.error.message).toContain('task "Loop" (tasks[0]) would depend on itself');

    // Forward references without a cycle are fine.
    const forward = await master().tasks.createMany.mutate({ tasks: [{ title: 'After', prompt: 'after', dependsOn: [1] }, { title: 'Before', prompt: 'before' }] });
    expect((await task(forward.tasks[0]!.id)).unfinishedParents).toBe(1);
    const count = await testHub.hub.db.task.count();
    expect(count).toBe(before + 2);
    expect(await testHub.hub.db.taskDep.count()).toBe(1);

    const unknown = await rawCall(testHub.url, 'tasks.create', { type: 'mutation', headers: bearer(), input: { title: 'Orphan', prompt: 'p', dependsOn: ['no-such-task'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('dependsOn[0]: task no-such-task not found');
    const outOfRange = await rawCall(testHub.url, 'tasks.createMany', { type: 'mutation', headers: bearer(), input: { tasks: [{ title: 'A', prompt: 'p', dependsOn: [5] }] } });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.message).toContain('tasks[0].dependsOn[0]: index 5 is not a task of this call');
    const tooMany = await rawCall(testHub.url, 'tasks.create', {
      type: 'mutation',
      headers: bearer(),
      input: { title: 'Needy', prompt: 'p', dependsOn: Array.from({ length: 21 }, (_, index) => `task-${index}`) },
    });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('at most 20 parents');
    expect(await testHub.hub.db.task.count()).toBe(count);
    expect(await testHub.hub.db.taskDep.count()).toBe(1);
  });

  it('cancels the waiting descendants of a failed parent, naming it; retrying the parent re-arms them', async () => {
    testHub = await startTestHub({ env: { MESH_MAX_ATTEMPTS: '1' } });
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 4 });
    const watcher = collectEvents(master());
    await waitForSubscribers(testHub, 1);
    const { tasks } = await master().tasks.createMany.mutate({
      tasks: [
        { title: 'Fetch data', prompt: 'fetch' },
        { title: 'Clean data', prompt: 'clean', dependsOn: [0] },
        { title: 'Report', prompt: 'report', dependsOn: [1] },
        { title: 'Unrelated', prompt: 'other work' },
      ],
    });
    await testHub.hub.dispatcher.settled();
    const [fetchTask, clean, report, unrelated] = tasks.map((item) => item.id);
    await failClaimed(rex);
    expect((await task(fetchTask!)).status).toBe('failed');
    for (const id of [clean!, report!]) {
      const stored = await task(id);
      expect(stored).toMatchObject({ status: 'cancelled', blockedByTaskId: fetchTask });
      expect(stored.error).toBe(`cancelled: it depends on task "Fetch data" (${fetchTask}), which failed`);
    }
    const cancelled = await watcher.waitFor('task_cancelled', (event) => event.payload.taskId === report);
    expect(cancelled.payload.blockedBy).toEqual({ taskId: fetchTask, title: 'Fetch data' });
    expect((await task(unrelated!)).status).toBe('failed');

    // A cancelled child cannot be retried on its own while its parent cannot finish.
    const refused = await rawCall(testHub.url, 'tasks.retry', { type: 'mutation', headers: bearer(), input: { taskId: clean } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`depends on task "Fetch data" (${fetchTask}), which is failed: retry that one first`);

    await master().tasks.retry.mutate({ taskId: fetchTask! });
    await testHub.hub.dispatcher.settled();
    expect((await task(fetchTask!)).status).toBe('assigned');
    expect(await task(clean!)).toMatchObject({ status: 'queued', assignedTo: null, unfinishedParents: 1, blockedByTaskId: null, error: null });
    expect(await task(report!)).toMatchObject({ status: 'queued', assignedTo: null, unfinishedParents: 1, blockedByTaskId: null });
    await watcher.waitFor('task_requeued', (event) => event.payload.reason === 'parent_retried' && event.payload.taskId === report);
    const rearmed = watcher.events.filter((event) => event.type === 'task_requeued' && (event.payload as { reason: string }).reason === 'parent_retried').map((event) => (event.payload as { taskId: string }).taskId);
    expect(rearmed.sort()).toEqual([clean!, report!].sort());

    // And the chain runs through once the parent is done.
    await runClaimed(rex, 'raw rows');
    await testHub.hub.dispatcher.settled();
    expect((await task(clean!)).status).toBe('assigned');
    await runClaimed(rex, 'clean rows');
    await testHub.hub.dispatcher.settled();
    expect((await task(report!)).prompt).toContain('clean rows');
    watcher.stop();
  });

  it('a cancelled parent cancels its waiting children too', async () => {
    testHub = await startTestHub();
    const { tasks } = await master().tasks.createMany.mutate({ tasks: [{ title: 'First', prompt: 'a' }, { title: 'Second', prompt: 'b', dependsOn: [0] }] });
    await master().tasks.cancel.mutate({ taskId: tasks[0]!.id });
    expect(await task(tasks[1]!.id)).toMatchObject({ status: 'cancelled', blockedByTaskId: tasks[0]!.id, error: `cancelled: it depends on task "First" (${tasks[0]!.id}), which cancelled` });
  });
});

describe('handoff', () => {
  it('a handed-off parent\'s children wait for its continuation', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const { tasks } = await master().tasks.createMany.mutate({ tasks: [{ title: 'Long job', prompt: 'work' }, { title: 'After', prompt: 'then', dependsOn: [0] }] });
    await testHub.hub.dispatcher.settled();
    const [claimed] = await rex.client.tasks.claim.mutate({});
    const { continuationTaskId } = await rex.client.tasks.handoff.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, partialOutput: 'half done', idempotencyKey: 'handoff-1' });
    expect(await testHub.hub.db.taskDep.findMany()).toEqual([{ parentTaskId: continuationTaskId, childTaskId: tasks[1]!.id }]);
    expect(await task(tasks[1]!.id)).toMatchObject({ status: 'queued', unfinishedParents: 1 });
    await testHub.hub.dispatcher.settled();
    await runClaimed(rex, 'all done');
    await testHub.hub.dispatcher.settled();
    const child = await task(tasks[1]!.id);
    expect(child.status).toBe('assigned');
    expect(child.prompt).toContain(`<<< output of "Long job" (task ${continuationTaskId})\nall done\n>>>`);
  });
});

describe('pipelines', () => {
  it('wires 2–20 steps in sequence and shows each step’s state', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 3 });
    const created = await master().pipelines.create.mutate({
      name: 'Research → summarize → notify',
      steps: [
        { title: 'Research', prompt: 'research the market' },
        { title: 'Summarize', prompt: 'summarize the research' },
        { title: 'Notify', prompt: 'write the notification' },
      ],
    });
    expect(created.taskIds).toHaveLength(3);
    await testHub.hub.dispatcher.settled();
    let view = await master().pipelines.get.query({ pipelineId: created.pipelineId });
    expect(view).toMatchObject({ name: 'Research → summarize → notify', state: 'running' });
    expect(view.steps.map((step) => [step.position, step.title, step.status, step.waiting])).toEqual([
      [0, 'Research', 'assigned', false],
      [1, 'Summarize', 'queued', true],
      [2, 'Notify', 'queued', true],
    ]);
    expect(await testHub.hub.db.taskDep.findMany({ orderBy: { childTaskId: 'asc' } })).toEqual([
      { parentTaskId: created.taskIds[0], childTaskId: created.taskIds[1] },
      { parentTaskId: created.taskIds[1], childTaskId: created.taskIds[2] },
    ]);
    for (let step = 0; step < 3; step += 1) {
      await runClaimed(rex, `output ${step}`);
      await testHub.hub.dispatcher.settled();
    }
    view = await master().pipelines.get.query({ pipelineId: created.pipelineId });
    expect(view.state).toBe('done');
    expect(view.steps.every((step) => step.status === 'done')).toBe(true);
    const list = await master().pipelines.list.query({});
    expect(list.pipelines.map((pipeline) => pipeline.id)).toEqual([created.pipelineId]);
    const links = await master().tasks.links.query({ taskId: created.taskIds[1]! });
    expect(links.pipeline).toEqual({ id: created.pipelineId, name: 'Research → summarize → notify', position: 1, steps: 3 });

    for (const steps of [1, 21]) {
      const refused = await rawCall(testHub.url, 'pipelines.create', {
        type: 'mutation',
        headers: bearer(),
        input: { name: 'bad', steps: Array.from({ length: steps }, (_, index) => ({ title: `s${index}`, prompt: 'p' })) },
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(steps === 1 ? 'at least 2 steps' : 'at most 20 steps');
    }
    expect(await testHub.hub.db.pipeline.count()).toBe(1);
    const missing = await rawCall(testHub.url, 'pipelines.get', { type: 'query', headers: bearer(), input: { pipelineId: 'nope' } });
    expect(missing.status).toBe(404);
  });
});
