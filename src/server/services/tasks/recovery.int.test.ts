// Recovery in seconds, not minutes: worker instances, heartbeats that say what they hold, a
// graceful stop, offline agents, the load gate; and exactly-once creates, chunks and handoffs.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../testing/manual-clock';
import { createTask, registerWorker, type TestWorker } from '../../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../../testing/test-hub';
import { sweepOfflineAgents } from '../../sweepers/agent-offline';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

const register = (worker: TestWorker, instanceId: string, maxConcurrent = 2) =>
  worker.client.agents.register.mutate({ id: worker.id, name: worker.id, instanceId, maxConcurrent });

const taskRow = (taskId: string) => testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } });

describe('worker instances', () => {
  it('a new instance releases what the old one ran at once; a claim from the old instance is refused', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    await register(worker, 'instance-one');
    const running = await createTask(testHub, { title: 'running' });
    const [claimed] = await worker.client.tasks.claim.mutate({ instanceId: 'instance-one' });
    expect(claimed!.taskId).toBe(running.id);

    // The process was killed with -9 and started again: its new instance registers.
    await register(worker, 'instance-two');
    await testHub.hub.dispatcher.settled();
    const attempt = await testHub.hub.db.taskAttempt.findUniqueOrThrow({ where: { id: claimed!.attemptId } });
    expect(attempt).toMatchObject({ status: 'stale', instanceId: 'instance-one' });
    // Requeued and handed out again at once; the attempt it ran counts, nothing more.
    expect(await taskRow(running.id)).toMatchObject({ status: 'assigned', assignedTo: 'rex', attempts: 1 });
    await expect(worker.client.tasks.claim.mutate({ instanceId: 'instance-one' })).rejects.toThrow(/was replaced/);
    const [again] = await worker.client.tasks.claim.mutate({ instanceId: 'instance-two' });
    expect(again).toMatchObject({ taskId: running.id, attempt: 2 });
    // The old attempt's report is stale now and changes nothing.
    await expect(
      worker.client.tasks.report.mutate({ taskId: running.id, attemptId: claimed!.attemptId, status: 'done', output: 'late', idempotencyKey: 'late-report' }),
    ).rejects.toThrow(/stale/);
    expect(await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).toMatchObject({ activeTasks: 1, instanceId: 'instance-two' });
  });

  it('a heartbeat releases running attempts it does not list, sparing claims younger than the grace', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock });
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    await register(worker, 'instance-one');
    const held = await createTask(testHub, { title: 'held' });
    const lost = await createTask(testHub, { title: 'lost' });
    const claimed = await worker.client.tasks.claim.mutate({ instanceId: 'instance-one' });
    expect(claimed).toHaveLength(2);
    // Right after the claim, a heartbeat that lists only one task releases nothing yet.
    await worker.client.agents.heartbeat.mutate({ agentId: 'rex', instanceId: 'instance-one', activeTaskIds: [held.id] });
    expect((await taskRow(lost.id)).status).toBe('running');
    clock.advance(15_000);
    await worker.client.agents.heartbeat.mutate({ agentId: 'rex', instanceId: 'instance-one', activeTaskIds: [held.id] });
    await testHub.hub.dispatcher.settled();
    expect((await taskRow(held.id)).status).toBe('running');
    const lostAttempt = await testHub.hub.db.taskAttempt.findFirstOrThrow({ where: { taskId: lost.id } });
    expect(lostAttempt.status).toBe('stale');
    expect((await taskRow(lost.id)).status).toBe('assigned');
    // A heartbeat from a replaced instance is refused.
    await register(worker, 'instance-two');
    await expect(worker.client.agents.heartbeat.mutate({ agentId: 'rex', instanceId: 'instance-one', activeTaskIds: [] })).rejects.toThrow(/replaced/);
  });

  it('a graceful stop takes the agent offline at once and gives back what it held', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    await register(worker, 'instance-one');
    const other = await registerWorker(testHub, { id: 'ada', maxConcurrent: 0 });
    const running = await createTask(testHub, { title: 'running' });
    await worker.client.tasks.claim.mutate({ instanceId: 'instance-one' });
    const waiting = await createTask(testHub, { title: 'waiting' });
    expect((await taskRow(waiting.id)).status).toBe('assigned');

    await worker.client.agents.goOffline.mutate({ agentId: 'rex', instanceId: 'instance-one' });
    expect(await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).toMatchObject({ status: 'offline', activeTasks: 0 });
    expect(await taskRow(running.id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await taskRow(waiting.id)).toMatchObject({ status: 'queued', attempts: 0 });
    // An agent token stops only its own agent.
    await expect(other.client.agents.goOffline.mutate({ agentId: 'rex' })).rejects.toThrow(/bound to agent ada/);
  });

  it('an agent that misses its heartbeats loses its running attempts too, not only its assigned tasks', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock });
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const running = await createTask(testHub, {});
    await worker.client.tasks.claim.mutate({});
    clock.advance(120_000);
    expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual(['rex']);
    expect(await taskRow(running.id)).toMatchObject({ status: 'queued', assignedTo: null });
    expect((await testHub.hub.db.taskAttempt.findFirstOrThrow({ where: { taskId: running.id } })).status).toBe('stale');
  });

  it('assigns nothing to an agent whose load gate paused its claiming, and resumes when it says so', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    await worker.client.agents.heartbeat.mutate({ agentId: 'rex', activeTaskIds: [], claimingPaused: { reason: 'load 9.0 ≥ max-load 8' } });
    const task = await createTask(testHub, {});
    expect((await taskRow(task.id)).status).toBe('queued');
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).claimingPaused).toBe('load 9.0 ≥ max-load 8');
    await worker.client.agents.heartbeat.mutate({ agentId: 'rex', activeTaskIds: [], claimingPaused: null });
    await testHub.hub.dispatcher.settled();
    expect(await taskRow(task.id)).toMatchObject({ status: 'assigned', assignedTo: 'rex' });
  });
});

describe('exactly-once calls', () => {
  it('a create resent with the same client request id creates nothing new', async () => {
    testHub = await startTestHub();
    const master = testHub.client({ token: testHub.masterToken });
    const first = await master.tasks.create.mutate({ title: 'once', prompt: 'only once', clientRequestId: 'request-0001' });
    const again = await master.tasks.create.mutate({ title: 'once', prompt: 'only once', clientRequestId: 'request-0001' });
    expect(again.id).toBe(first.id);
    const batch = await master.tasks.createMany.mutate({
      tasks: [
        { title: 'once', prompt: 'only once', clientRequestId: 'request-0001' },
        { title: 'new', prompt: 'a new one', clientRequestId: 'request-0002' },
      ],
    });
    expect(batch.tasks[0]!.id).toBe(first.id);
    expect(await testHub.hub.db.task.count()).toBe(2);
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'task_created' } })).toBe(2);
  });

  it('a resent chunk is appended once and a resent handoff makes one continuation', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex' });
    const task = await createTask(testHub, {});
    const [claimed] = await worker.client.tasks.claim.mutate({});
    const chunk = { taskId: task.id, attemptId: claimed!.attemptId, content: 'once', idempotencyKey: `${claimed!.attemptId}:1` };
    await worker.client.tasks.stream.mutate(chunk);
    await worker.client.tasks.stream.mutate(chunk);
    expect(await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })).toBe(1);
    const handoff = { taskId: task.id, attemptId: claimed!.attemptId, partialOutput: 'half', idempotencyKey: `${claimed!.attemptId}:handoff` };
    const first = await worker.client.tasks.handoff.mutate(handoff);
    expect(await worker.client.tasks.handoff.mutate(handoff)).toEqual(first);
    expect(await testHub.hub.db.task.count({ where: { continuesTaskId: task.id } })).toBe(1);
  });
});

describe('dispatch rules from the spec review', () => {
  it('gives a continuation to another agent than the one that handed it off, and releases its probe', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const task = await createTask(testHub, { assignTo: 'rex' });
    const ada = await registerWorker(testHub, { id: 'ada', maxConcurrent: 1 });
    const [claimed] = await rex.client.tasks.claim.mutate({});
    // ada is busy: the continuation waits for her rather than going back to rex.
    await createTask(testHub, { assignTo: 'ada' });
    const { continuationTaskId } = await rex.client.tasks.handoff.mutate({ taskId: task.id, attemptId: claimed!.attemptId, partialOutput: 'half' });
    await testHub.hub.dispatcher.settled();
    expect(await taskRow(continuationTaskId)).toMatchObject({ status: 'queued', handedOffBy: 'rex' });
    const [adaTask] = await ada.client.tasks.claim.mutate({});
    await ada.client.tasks.report.mutate({ taskId: adaTask!.taskId, attemptId: adaTask!.attemptId, status: 'done', output: 'ok', idempotencyKey: 'ada-done-1' });
    await testHub.hub.dispatcher.settled();
    expect(await taskRow(continuationTaskId)).toMatchObject({ status: 'assigned', assignedTo: 'ada' });
  });

  it('a handed-off half-open probe frees the way for the next probe', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock, env: { MESH_MAX_ATTEMPTS: '10' } });
    const flaky = await registerWorker(testHub, { id: 'flaky', maxConcurrent: 2 });
    const first = await createTask(testHub, {});
    for (let index = 0; index < 3; index += 1) {
      const [claimed] = await flaky.client.tasks.claim.mutate({});
      await flaky.client.tasks.report.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, status: 'failed', error: 'no', idempotencyKey: `probe-fail-${index}` });
      await testHub.hub.dispatcher.settled();
    }
    expect((await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } })).state).toBe('open');
    clock.advance(60_000);
    await testHub.hub.dispatcher.dispatch();
    expect(await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } })).toMatchObject({ state: 'half_open', probeTaskId: first.id });
    const [probe] = await flaky.client.tasks.claim.mutate({});
    const { continuationTaskId } = await flaky.client.tasks.handoff.mutate({ taskId: probe!.taskId, attemptId: probe!.attemptId, partialOutput: 'half' });
    await testHub.hub.dispatcher.settled();
    // The probe left without a verdict: the breaker lets the next one through (the only agent
    // can take its own continuation, since no other agent exists).
    expect(await taskRow(continuationTaskId)).toMatchObject({ status: 'assigned', assignedTo: 'flaky' });
    expect((await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } })).probeTaskId).toBe(continuationTaskId);
  });

  it('never lets assignTo override the required capability', async () => {
    testHub = await startTestHub();
    await registerWorker(testHub, { id: 'researcher', capabilities: ['research'] });
    await registerWorker(testHub, { id: 'coder', capabilities: ['code'] });
    const task = await createTask(testHub, { requiredCapability: 'code', assignTo: 'researcher' });
    expect(await taskRow(task.id)).toMatchObject({ status: 'assigned', assignedTo: 'coder' });
  });
});

describe('agent-token scope', () => {
  it('a worker token reads, cancels and retries only its own agent’s tasks; a commander sees the mesh', async () => {
    testHub = await startTestHub();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const ada = await registerWorker(testHub, { id: 'ada', maxConcurrent: 0 });
    const commander = await registerWorker(testHub, { id: 'boss', maxConcurrent: 0, kind: 'commander', preset: 'commander' });
    const rexTask = await createTask(testHub, { title: 'for rex' });
    expect(rexTask.assignedTo).toBe('rex');
    const adaOwn = await ada.client.tasks.create.mutate({ title: 'ada made it', prompt: 'hers' });

    expect((await rex.client.tasks.get.query({ taskId: rexTask.id })).title).toBe('for rex');
    await expect(ada.client.tasks.get.query({ taskId: rexTask.id })).rejects.toThrow(/not found/);
    await expect(ada.client.tasks.chunks.query({ taskId: rexTask.id })).rejects.toThrow(/not found/);
    await expect(ada.client.tasks.cancel.mutate({ taskId: rexTask.id })).rejects.toThrow(/not found/);
    expect((await taskRow(rexTask.id)).status).toBe('assigned');
    expect((await ada.client.tasks.list.query({})).tasks.map((listed) => listed.id)).toEqual([adaOwn.id]);
    expect((await ada.client.tasks.get.query({ taskId: adaOwn.id })).title).toBe('ada made it');
    expect((await commander.client.tasks.list.query({})).tasks).toHaveLength(2);
    await commander.client.tasks.cancel.mutate({ taskId: rexTask.id });
    expect((await taskRow(rexTask.id)).status).toBe('cancelled');
  });

  it('matches list text as typed: % and _ are not wildcards', async () => {
    testHub = await startTestHub();
    const master = testHub.client({ token: testHub.masterToken });
    await master.tasks.createMany.mutate({ tasks: [{ title: '100% done', prompt: 'a' }, { title: '100 percent', prompt: 'b' }, { title: 'snake_case', prompt: 'c' }, { title: 'snakeXcase', prompt: 'd' }] });
    const titles = async (text: string) => (await master.tasks.list.query({ text })).tasks.map((listed) => listed.title);
    expect(await titles('0%')).toEqual(['100% done']);
    expect(await titles('e_c')).toEqual(['snake_case']);
    expect(await titles('SNAKE')).toEqual(['snakeXcase', 'snake_case']);
  });
});
