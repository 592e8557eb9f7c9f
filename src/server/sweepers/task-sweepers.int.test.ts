// The task engine's sweepers with an injected clock: offline agents, zombie tasks, deadline
// urgency steps, stream retention.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../testing/manual-clock';
import { createTask, registerWorker } from '../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../testing/test-hub';
import { sweepOfflineAgents } from './agent-offline';
import { sweepDeadlines } from './deadlines';
import { sweepStreamChunks } from './stream-retention';
import { sweepZombieTasks } from './zombie-tasks';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

describe('sweepers', () => {
  it('marks a silent agent offline once, alerts once per outage, and requeues its unclaimed tasks', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock });
    const rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const backup = await registerWorker(testHub, { id: 'backup', maxConcurrent: 0 });
    const task = await createTask(testHub, {});
    expect(task.assignedTo).toBe('rex');

    clock.advance(60_000);
    await backup.client.agents.heartbeat.mutate({ agentId: 'backup' });
    clock.advance(29_000);
    expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual([]);
    clock.advance(2_000);
    // 91 s since rex's last heartbeat, 31 s since backup's.
    expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual(['rex']);
    expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual([]);
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).status).toBe('offline');
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'queued', assignedTo: null });
    expect(await testHub.hub.db.alertSent.count({ where: { kind: 'agent_down', dedupKey: 'rex' } })).toBe(1);

    // Back online: the task comes back to it; a second outage alerts again.
    await rex.client.agents.heartbeat.mutate({ agentId: 'rex' });
    await testHub.hub.dispatcher.settled();
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).assignedTo).toBe('rex');
    clock.advance(91_000);
    await sweepOfflineAgents(testHub.hub, clock.now());
    await testHub.hub.alerts.flush();
    const alert = await testHub.hub.db.alertSent.findFirstOrThrow({ where: { kind: 'agent_down', dedupKey: 'rex' } });
    expect(alert.clearedAt).toBeNull();
    expect(alert.sentAt.getTime()).toBe(clock.now().getTime());
  });

  it('requeues a task with no progress for 10 minutes and fails it at the attempt limit; a task never claimed costs no attempt', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock, env: { MESH_HEARTBEAT_TIMEOUT_SECONDS: '86400' } });
    const worker = await registerWorker(testHub, { id: 'rex' });
    const task = await createTask(testHub, {});
    const [claimed] = await worker.client.tasks.claim.mutate({});
    clock.advance(9 * 60_000);
    // A heartbeat listing the task is progress.
    await worker.client.agents.heartbeat.mutate({ agentId: 'rex', activeTaskIds: [task.id] });
    clock.advance(9 * 60_000);
    expect(await sweepZombieTasks(testHub.hub, clock.now())).toEqual({ requeued: 0, failed: 0 });
    clock.advance(2 * 60_000);
    expect(await sweepZombieTasks(testHub.hub, clock.now())).toEqual({ requeued: 1, failed: 0 });
    await testHub.hub.dispatcher.settled();
    const attempt = await testHub.hub.db.taskAttempt.findUniqueOrThrow({ where: { id: claimed!.attemptId } });
    expect(attempt.status).toBe('stale');
    // It was handed out again at once. Left unclaimed (a worker holding back), it is requeued
    // without burning an attempt: it never ran.
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'assigned', attempts: 1 });
    clock.advance(11 * 60_000);
    expect(await sweepZombieTasks(testHub.hub, clock.now())).toEqual({ requeued: 1, failed: 0 });
    await testHub.hub.dispatcher.settled();
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'assigned', attempts: 1 });
    // Claimed and stalled twice more, it fails at the limit of 3.
    for (const expected of [{ requeued: 1, failed: 0 }, { requeued: 0, failed: 1 }]) {
      await worker.client.tasks.claim.mutate({});
      clock.advance(11 * 60_000);
      expect(await sweepZombieTasks(testHub.hub, clock.now())).toEqual(expected);
      await testHub.hub.dispatcher.settled();
    }
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await testHub.hub.db.taskAttempt.count({ where: { taskId: task.id } })).toBe(3);
  });

  it('steps an overdue task’s urgency once per pass, bumps priority, and alerts once per step', async () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    testHub = await startTestHub({ clock });
    const task = await createTask(testHub, { priority: 50, deadline: '2026-03-01T12:05:00Z' });
    expect(await sweepDeadlines(testHub.hub, clock.now())).toBe(0);
    clock.advance(6 * 60_000);
    const seen: string[] = [];
    for (let pass = 0; pass < 5; pass += 1) {
      await sweepDeadlines(testHub.hub, clock.now());
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
      seen.push(`${current.urgency}:${current.priority}`);
      clock.advance(60_000);
    }
    expect(seen).toEqual(['medium:60', 'high:70', 'critical:80', 'critical:80', 'critical:80']);
    const alerts = await testHub.hub.db.alertSent.findMany({ where: { kind: 'deadline' }, orderBy: { sentAt: 'asc' } });
    expect(alerts.map((alert) => alert.dedupKey)).toEqual([`${task.id}:medium`, `${task.id}:high`, `${task.id}:critical`]);
  });

  it('deletes stream chunks of tasks finished longer ago than the retention', async () => {
    const clock = new ManualClock();
    testHub = await startTestHub({ clock, env: { MESH_STREAM_RETENTION_DAYS: '2', MESH_HEARTBEAT_TIMEOUT_SECONDS: '86400', MESH_ZOMBIE_MINUTES: '1440' } });
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    const finished = await createTask(testHub, {});
    const open = await createTask(testHub, {});
    const claimed = await worker.client.tasks.claim.mutate({});
    for (const task of claimed) await worker.client.tasks.stream.mutate({ taskId: task.taskId, attemptId: task.attemptId, content: 'chunk' });
    const finishedClaim = claimed.find((task) => task.taskId === finished.id)!;
    await worker.client.tasks.report.mutate({ taskId: finished.id, attemptId: finishedClaim.attemptId, status: 'done', output: 'x', idempotencyKey: 'retention-done' });
    clock.advance(3 * 24 * 60 * 60_000);
    expect(await sweepStreamChunks(testHub.hub, clock.now())).toBe(1);
    expect(await testHub.hub.db.taskStreamChunk.count({ where: { taskId: open.id } })).toBe(1);
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: finished.id } })).toMatchObject({ output: 'x' });
  });
});
