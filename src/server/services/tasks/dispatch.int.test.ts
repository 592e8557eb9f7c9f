// Dispatch over real HTTP: capability routing, assign_to and its fall-through, UCB picking an
// untried agent and then the better one, the circuit breaker's open/half-open/closed cycle,
// commanders never given work, queued work waiting for capacity, priority order.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../testing/manual-clock';
import { createTask, registerWorker, type TestWorker } from '../../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../../testing/test-hub';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

async function fail(worker: TestWorker) {
  const [claimed] = await worker.client.tasks.claim.mutate({});
  expect(claimed).toBeDefined();
  await worker.client.tasks.report.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, status: 'failed', error: 'boom', idempotencyKey: `fail-${claimed!.attemptId}` });
  await testHub.hub.dispatcher.settled();
  return claimed!.taskId;
}

async function succeed(worker: TestWorker) {
  const [claimed] = await worker.client.tasks.claim.mutate({});
  expect(claimed).toBeDefined();
  await worker.client.tasks.report.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, status: 'done', output: 'fine', idempotencyKey: `ok-${claimed!.attemptId}` });
  await testHub.hub.dispatcher.settled();
  return claimed!.taskId;
}

describe('dispatch', () => {
  it('routes by capability and never gives work to a commander', async () => {
    testHub = await startTestHub();
    await registerWorker(testHub, { id: 'commander', kind: 'commander', maxConcurrent: 0, capabilities: ['code'], preset: 'commander' });
    await registerWorker(testHub, { id: 'researcher', capabilities: ['research'] });
    await registerWorker(testHub, { id: 'coder', capabilities: ['code'] });
    const codeTask = await createTask(testHub, { requiredCapability: 'code' });
    const researchTask = await createTask(testHub, { requiredCapability: 'research' });
    expect(codeTask).toMatchObject({ status: 'assigned', assignedTo: 'coder' });
    expect(researchTask).toMatchObject({ status: 'assigned', assignedTo: 'researcher' });
    const unroutable = await createTask(testHub, { requiredCapability: 'design' });
    expect(unroutable).toMatchObject({ status: 'queued', assignedTo: null });
  });

  it('honours assign_to when that agent has a free slot, and falls through when it has not', async () => {
    testHub = await startTestHub();
    await registerWorker(testHub, { id: 'rex' });
    await registerWorker(testHub, { id: 'crucible' });
    const first = await createTask(testHub, { assignTo: 'rex' });
    expect(first.assignedTo).toBe('rex');
    // rex has one slot, now taken: the next task for rex goes elsewhere.
    const second = await createTask(testHub, { assignTo: 'rex' });
    expect(second.assignedTo).toBe('crucible');
    const third = await createTask(testHub, { assignTo: 'nobody-such' });
    expect(third.status).toBe('queued');
  });

  it('keeps work queued until capacity appears, then takes the highest priority first', async () => {
    testHub = await startTestHub();
    const low = await createTask(testHub, { title: 'low', priority: 10 });
    const high = await createTask(testHub, { title: 'high', priority: 90 });
    expect([low.status, high.status]).toEqual(['queued', 'queued']);
    const worker = await registerWorker(testHub, { id: 'solo' });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: high.id } })).assignedTo).toBe('solo');
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: low.id } })).status).toBe('queued');
    await succeed(worker);
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: low.id } })).assignedTo).toBe('solo');
  });

  it('UCB: an untried agent gets work first, then the better agent wins', async () => {
    // One attempt per task, so each verdict is final and the sequence is deterministic.
    testHub = await startTestHub({ env: { MESH_MAX_ATTEMPTS: '1', MESH_BREAKER_FAILURES: '100' } });
    const veteran = await registerWorker(testHub, { id: 'veteran', capabilities: ['research'] });
    for (let index = 0; index < 5; index += 1) {
      await createTask(testHub, { requiredCapability: 'research' });
      await succeed(veteran);
    }
    const rookie = await registerWorker(testHub, { id: 'rookie', capabilities: ['research'] });
    const assignees: string[] = [];
    for (let index = 0; index < 11; index += 1) {
      const task = await createTask(testHub, { requiredCapability: 'research' });
      assignees.push(task.assignedTo!);
      // The rookie fails everything it gets; the veteran succeeds.
      if (task.assignedTo === 'rookie') await fail(rookie);
      else await succeed(veteran);
    }
    expect(assignees[0]).toBe('rookie');
    const later = assignees.slice(1);
    expect(later.filter((agent) => agent === 'veteran').length).toBeGreaterThanOrEqual(7);
    expect(assignees[assignees.length - 1]).toBe('veteran');
  });

  it('circuit breaker: opens after 3 failures, half-opens after 60 s for one task, closes on success', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock, env: { MESH_MAX_ATTEMPTS: '10' } });
    const flaky = await registerWorker(testHub, { id: 'flaky' });
    const task = await createTask(testHub, {});
    for (let index = 0; index < 3; index += 1) await fail(flaky);
    let breaker = await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } });
    expect(breaker).toMatchObject({ state: 'open', consecutiveFailures: 3 });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('queued');
    // The escalation chain got its escalation.
    expect(await testHub.hub.db.escalation.count({ where: { fromAgent: 'flaky' } })).toBe(1);

    clock.advance(59_000);
    await testHub.hub.dispatcher.dispatch();
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('queued');
    clock.advance(1_000);
    await testHub.hub.dispatcher.dispatch();
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).assignedTo).toBe('flaky');
    breaker = await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } });
    expect(breaker).toMatchObject({ state: 'half_open', probeTaskId: task.id });

    // Half-open lets one task through: a second task waits.
    await testHub.client({ token: testHub.masterToken }).agents.update.mutate({ agentId: 'flaky', maxConcurrent: 2 });
    const waiting = await createTask(testHub, {});
    expect(waiting.status).toBe('queued');

    // The probe fails: open again at once.
    await fail(flaky);
    breaker = await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } });
    expect(breaker.state).toBe('open');
    clock.advance(60_000);
    await testHub.hub.dispatcher.dispatch();
    await succeed(flaky);
    breaker = await testHub.hub.db.breakerState.findUniqueOrThrow({ where: { agentId: 'flaky' } });
    expect(breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    await testHub.hub.dispatcher.dispatch();
    // Closed again: the waiting task is handed out.
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: waiting.id } })).assignedTo).toBe('flaky');
  });

  it('survives a hub restart with the breaker state', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock, env: { MESH_MAX_ATTEMPTS: '10' } });
    const flaky = await registerWorker(testHub, { id: 'flaky' });
    await createTask(testHub, {});
    for (let index = 0; index < 3; index += 1) await fail(flaky);
    const { dataDir, masterToken, adminPassword } = testHub;
    await testHub.stop();
    testHub = await startTestHub({ clock, dataDir, masterToken, adminPassword, env: { MESH_MAX_ATTEMPTS: '10' } });
    const agent = await testHub.client({ token: masterToken }).agents.get.query({ agentId: 'flaky' });
    expect(agent.breaker).toEqual({ state: 'open', consecutiveFailures: 3 });
  });
});
