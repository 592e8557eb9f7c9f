// inbox.get over real HTTP: what needs the operator first, with the counts the tab badge shows;
// a worker token sees only what concerns its own agent, and failures age out after 24 hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { ManualClock } from '../../testing/manual-clock';
import { createTask, registerWorker, type TestWorker } from '../../testing/mesh-fixtures';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

const clock = new ManualClock('2026-03-01T09:00:00Z');
let testHub: TestHub;
let master: HubClient;
let rex: TestWorker;
let failedTaskId: string;
let gpuTaskId: string;
let codeTaskId: string;
let rexApprovalId: string;

beforeAll(async () => {
  testHub = await startTestHub({ clock, env: { MESH_MAX_ATTEMPTS: '1', MESH_BREAKER_FAILURES: '1' } });
  master = testHub.client({ token: testHub.masterToken });
  rex = await registerWorker(testHub, { id: 'rex', capabilities: ['code'] });
  // A task rex fails for good (one attempt allowed): a failure, rex's breaker opens, and it escalates.
  failedTaskId = (await createTask(testHub, { title: 'compile the thing', requiredCapability: 'code' })).id;
  const [claimed] = await rex.client.tasks.claim.mutate({});
  await rex.client.tasks.report.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, status: 'failed', error: 'compiler exploded', idempotencyKey: `fail-${claimed!.attemptId}` });
  // A task no agent can take, already past its deadline.
  gpuTaskId = (await createTask(testHub, { title: 'render frames', requiredCapability: 'gpu', deadline: new Date(clock.now().getTime() - 60_000).toISOString() })).id;
  // The only agent offering `code` has an open breaker.
  codeTaskId = (await createTask(testHub, { title: 'lint', requiredCapability: 'code' })).id;
  rexApprovalId = (await rex.client.approvals.create.mutate({ action: 'deploy', description: 'ship build 7' })).id;
  await master.approvals.create.mutate({ action: 'drop table', agentId: 'max' });
});

afterAll(async () => {
  await testHub.destroy();
});

describe('inbox.get', () => {
  it('lists approvals, escalations, recent failures, overdue and unrunnable tasks for an operator', async () => {
    const inbox = await master.inbox.get.query();
    expect(inbox.counts).toEqual({ approvals: 2, escalations: 1, failed: 1, overdue: 1, cannotRun: 2, total: 7 });
    expect(inbox.canDecide).toBe(true);
    expect(inbox.approvals.map((approval) => approval.action).sort()).toEqual(['deploy', 'drop table']);
    expect(inbox.escalations[0]).toMatchObject({ fromAgent: 'rex', taskId: failedTaskId });
    expect(inbox.failed[0]).toMatchObject({ id: failedTaskId, status: 'failed', error: 'compiler exploded' });
    expect(inbox.overdue[0]).toMatchObject({ id: gpuTaskId, title: 'render frames' });
    expect(inbox.cannotRun).toMatchObject([
      { id: gpuTaskId, waitReason: { kind: 'no_capable_agent', capability: 'gpu' } },
      { id: codeTaskId, waitReason: { kind: 'breaker_open', agentIds: ['rex'] } },
    ]);
  });

  it('gives the same reason on tasks.get and tasks.list, and none for a finished task', async () => {
    expect((await master.tasks.get.query({ taskId: gpuTaskId })).waitReason).toEqual({ kind: 'no_capable_agent', capability: 'gpu' });
    const queued = await master.tasks.list.query({ status: 'queued' });
    expect(queued.tasks.find((task) => task.id === codeTaskId)?.waitReason).toEqual({ kind: 'breaker_open', agentIds: ['rex'] });
    expect((await master.tasks.get.query({ taskId: failedTaskId })).waitReason).toBeNull();
  });

  it('shows a worker token only its own agent’s items, and says it may not decide', async () => {
    const inbox = await rex.client.inbox.get.query();
    expect(inbox.canDecide).toBe(false);
    expect(inbox.approvals.map((approval) => approval.id)).toEqual([rexApprovalId]);
    expect(inbox.escalations.map((escalation) => escalation.fromAgent)).toEqual(['rex']);
    expect(inbox.failed.map((task) => task.id)).toEqual([failedTaskId]);
    // The gpu task was neither created by rex nor assigned to it.
    expect(inbox.counts).toMatchObject({ approvals: 1, overdue: 0, cannotRun: 0 });
  });

  it('lets a viewer see the inbox but not decide', async () => {
    await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-inbox-password' });
    const cookie = await loginCookie(testHub.url, { username: 'vera', password: 'vera-inbox-password' });
    const response = await rawCall(testHub.url, 'inbox.get', { type: 'query', headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.body.result.data).toMatchObject({ canDecide: false, counts: { approvals: 2 } });
  });

  it('drops an approval once decided, and a task once an agent that can run it arrives', async () => {
    await master.approvals.approve.mutate({ approvalId: rexApprovalId });
    await registerWorker(testHub, { id: 'gpu-box', capabilities: ['gpu'] });
    const inbox = await master.inbox.get.query();
    expect(inbox.counts.approvals).toBe(1);
    expect(inbox.cannotRun.map((task) => task.id)).toEqual([codeTaskId]);
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: gpuTaskId } });
    expect(task.assignedTo).toBe('gpu-box');
  });

  it('forgets failures older than 24 hours', async () => {
    clock.advance(25 * 3_600_000);
    const inbox = await master.inbox.get.query();
    expect(inbox.counts.failed).toBe(0);
  });

  it('refuses a caller without a session', async () => {
    const response = await rawCall(testHub.url, 'inbox.get', { type: 'query' });
    expect(response.status).toBe(401);
  });
});
