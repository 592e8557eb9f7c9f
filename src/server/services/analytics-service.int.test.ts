// Analytics over HTTP against a real hub on a ManualClock: task counts by status, agent, day and
// capability; costs by agent and day with the average per task; uptime from the agent status
// history (an outage, a late registration); the summary; and who may read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../testing/manual-clock';
import { registerWorker, type TestWorker } from '../../testing/mesh-fixtures';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';
import { sweepOfflineAgents } from '../sweepers/agent-offline';
import { existedFrom, upMillisecondsInWindow } from './analytics-service';

const HOUR_MS = 60 * 60 * 1000;
// Haiku is priced at $1 per million input tokens.
const haiku = (inputTokens: number) => ({ model: 'claude-haiku-4-5', inputTokens, outputTokens: 0 });

let testHub: TestHub;
let clock: ManualClock;

async function claimOne(worker: TestWorker) {
  const [claimed] = await worker.client.tasks.claim.mutate({ limit: 1 });
  if (!claimed) throw new Error(`${worker.id} had nothing to claim`);
  return claimed;
}

/**
 * The story (UTC): rex registers 03-08 12:00 and finishes a task that day; it misses its
 * heartbeats and goes offline 03-09 06:00, is back 03-09 18:00, and at 20:00 finishes task A
 * ($0.50) and fails task B ($1.00). archon registers 03-10 00:00; at 01:00 it runs task C, task D
 * (no capable agent) waits, task E is cancelled, archon logs $0.50 outside a task. Now: 03-10 12:00.
 */
beforeAll(async () => {
  clock = new ManualClock('2026-03-08T12:00:00Z');
  testHub = await startTestHub({ clock, env: { MESH_MAX_ATTEMPTS: '1' } });
  const master = testHub.client({ token: testHub.masterToken });
  const create = async (input: { title: string; requiredCapability: string; assignTo?: string }) => {
    const task = await master.tasks.create.mutate({ prompt: 'work', ...input });
    await testHub.hub.dispatcher.settled();
    return task;
  };

  const rex = await registerWorker(testHub, { id: 'rex', capabilities: ['code', 'research'], maxConcurrent: 2 });
  await create({ title: 'old', requiredCapability: 'code' });
  const old = await claimOne(rex);
  await rex.client.tasks.report.mutate({ taskId: old.taskId, attemptId: old.attemptId, status: 'done', usage: haiku(500_000), idempotencyKey: 'report-old-done' });

  clock.advance(18 * HOUR_MS); // 03-09 06:00
  expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual(['rex']);
  clock.advance(12 * HOUR_MS); // 03-09 18:00
  await rex.client.agents.heartbeat.mutate({ agentId: 'rex' });

  clock.advance(2 * HOUR_MS); // 03-09 20:00
  await create({ title: 'A', requiredCapability: 'code' });
  await create({ title: 'B', requiredCapability: 'code' });
  const a = await claimOne(rex);
  const b = await claimOne(rex);
  await rex.client.tasks.report.mutate({ taskId: a.taskId, attemptId: a.attemptId, status: 'done', usage: haiku(500_000), idempotencyKey: 'report-a-done' });
  await rex.client.tasks.report.mutate({ taskId: b.taskId, attemptId: b.attemptId, status: 'failed', error: 'boom', usage: haiku(1_000_000), idempotencyKey: 'report-b-failed' });

  clock.advance(4 * HOUR_MS); // 03-10 00:00
  await rex.client.agents.heartbeat.mutate({ agentId: 'rex' });
  const archon = await registerWorker(testHub, { id: 'archon', capabilities: ['research'], maxConcurrent: 1 });

  clock.advance(HOUR_MS); // 03-10 01:00
  await create({ title: 'C', requiredCapability: 'research', assignTo: 'archon' });
  await claimOne(archon);
  await create({ title: 'D', requiredCapability: 'design' });
  const e = await create({ title: 'E', requiredCapability: 'code' });
  await master.tasks.cancel.mutate({ taskId: e.id });
  await archon.client.costs.log.mutate(haiku(500_000));

  // No memory service yet: the rows are what it will write.
  for (const [index, agentId] of ['rex', 'rex', 'rex', 'archon'].entries()) {
    await testHub.hub.db.agentMemory.create({ data: { id: `memory-${index}`, agentId, key: `fact-${index}`, value: 'ciphertext' } });
  }
  clock.advance(11 * HOUR_MS); // 03-10 12:00
});

afterAll(async () => {
  await testHub?.destroy();
});

function asMaster() {
  return testHub.client({ token: testHub.masterToken }).analytics;
}

describe('analytics.tasks', () => {
  it('counts the window’s tasks by status, agent, day (created and finished) and capability', async () => {
    const tasks = await asMaster().tasks.query({ days: 2 });
    expect(tasks).toMatchObject({ days: 2, since: '2026-03-09T00:00:00.000Z', until: '2026-03-10T12:00:00.000Z', total: 5 });
    expect(tasks.byStatus).toEqual({ queued: 1, assigned: 0, running: 1, done: 1, failed: 1, cancelled: 1, suspended: 0 });
    expect(tasks.byAgent.map((agent) => [agent.agentId, agent.total])).toEqual([
      ['rex', 3],
      ['archon', 1],
      [null, 1],
    ]);
    expect(tasks.byAgent[0]!.byStatus).toMatchObject({ done: 1, failed: 1, cancelled: 1, running: 0 });
    expect(tasks.byDay).toEqual([
      { day: '2026-03-09', created: 2, done: 1, failed: 1, cancelled: 0 },
      { day: '2026-03-10', created: 3, done: 0, failed: 0, cancelled: 1 },
    ]);
    expect(tasks.byCapability).toEqual([
      { capability: 'code', total: 3, done: 1, failed: 1 },
      { capability: 'design', total: 1, done: 0, failed: 0 },
      { capability: 'research', total: 1, done: 0, failed: 0 },
    ]);
  });

  it('defaults to 7 days, one bucket per day, and includes the earlier task', async () => {
    const tasks = await asMaster().tasks.query();
    expect(tasks).toMatchObject({ days: 7, since: '2026-03-04T00:00:00.000Z', total: 6 });
    expect(tasks.byDay.map((day) => day.day)).toEqual(['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(tasks.byDay[4]).toEqual({ day: '2026-03-08', created: 1, done: 1, failed: 0, cancelled: 0 });
    expect(tasks.byStatus.done).toBe(2);
  });
});

describe('analytics.costs', () => {
  it('sums cost by agent and day, with the average cost per task', async () => {
    const costs = await asMaster().costs.query({ days: 2 });
    expect(costs).toMatchObject({ days: 2, totalCostUsd: 2, todayCostUsd: 0.5 });
    expect(costs.byAgent).toEqual([
      { agentId: 'rex', costUsd: 1.5, inputTokens: 1_500_000, outputTokens: 0, tasks: 2, avgCostPerTaskUsd: 0.75 },
      { agentId: 'archon', costUsd: 0.5, inputTokens: 500_000, outputTokens: 0, tasks: 0, avgCostPerTaskUsd: null },
    ]);
    expect(costs.byDay).toEqual([
      { day: '2026-03-09', costUsd: 1.5, inputTokens: 1_500_000, outputTokens: 0 },
      { day: '2026-03-10', costUsd: 0.5, inputTokens: 500_000, outputTokens: 0 },
    ]);
    expect((await asMaster().costs.query({ days: 7 })).totalCostUsd).toBe(2.5);
  });
});

describe('analytics.agents', () => {
  it('computes uptime from status changes: time online or busy over the part of the window the agent existed', async () => {
    const agents = await asMaster().agents.query({ days: 2 });
    expect(agents.windowSeconds).toBe(36 * 3600);
    // rex: up 00:00–06:00 and 18:00–12:00 next day = 24 h of 36 h; archon: up all 12 h since it registered 03-10 00:00.
    expect(agents.agents).toEqual([
      { agentId: 'archon', name: 'archon', status: 'busy', uptimePercent: 100, upSeconds: 12 * 3600, totalTasks: 1, doneTasks: 0, failedTasks: 0, memoryCount: 1 },
      { agentId: 'rex', name: 'rex', status: 'online', uptimePercent: 66.7, upSeconds: 24 * 3600, totalTasks: 3, doneTasks: 1, failedTasks: 1, memoryCount: 3 },
    ]);
    const today = await asMaster().agents.query({ days: 1 });
    expect(today.agents.map((agent) => [agent.agentId, agent.uptimePercent])).toEqual([
      ['archon', 100],
      ['rex', 100],
    ]);
    // 7 days = 6.5 days of window, but rex exists since 03-08 12:00: 03-08 12:00–03-09 06:00 (18 h) + 18 h = 36 h of 48 h.
    const week = await asMaster().agents.query({ days: 7 });
    expect(week.agents.find((agent) => agent.agentId === 'rex')).toMatchObject({ upSeconds: 36 * 3600, uptimePercent: 75, totalTasks: 4 });
    // archon, up every minute of its 12 h, is 100 % in a 7-day window too (it was 7.7 %: 12 h of 156 h).
    expect(week.agents.find((agent) => agent.agentId === 'archon')).toMatchObject({ upSeconds: 12 * 3600, uptimePercent: 100 });
    expect((await asMaster().summary.query({ days: 7 })).agents.averageUptimePercent).toBe(87.5);
  });

  it('starts an agent’s span at its registration, within the window', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-01-08T00:00:00Z');
    const at = (iso: string) => new Date(iso);
    // Registered in the window: from its first presence, not from the row written a moment before.
    expect(existedFrom({ createdAt: at('2026-01-07T22:59:59.900Z'), hadStatusBeforeWindow: false, firstChangeInWindowAt: at('2026-01-07T23:00:00Z') }, since, until)).toEqual(
      at('2026-01-07T23:00:00Z'),
    );
    // There before the window: the whole window.
    expect(existedFrom({ createdAt: at('2025-06-01T00:00:00Z'), hadStatusBeforeWindow: true, firstChangeInWindowAt: at('2026-01-03T00:00:00Z') }, since, until)).toEqual(since);
    // No history: its row's creation, clamped to the window.
    expect(existedFrom({ createdAt: at('2025-06-01T00:00:00Z'), hadStatusBeforeWindow: false, firstChangeInWindowAt: undefined }, since, until)).toEqual(since);
    expect(existedFrom({ createdAt: at('2026-02-01T00:00:00Z'), hadStatusBeforeWindow: false, firstChangeInWindowAt: undefined }, since, until)).toEqual(until);
  });

  it('counts a status in force before the window, and clamps to the window', () => {
    const start = new Date('2026-01-02T00:00:00Z');
    const end = new Date('2026-01-03T00:00:00Z');
    const at = (hour: number) => new Date(start.getTime() + hour * HOUR_MS);
    expect(upMillisecondsInWindow('busy', [], start, end)).toBe(24 * HOUR_MS);
    expect(upMillisecondsInWindow('offline', [], start, end)).toBe(0);
    expect(upMillisecondsInWindow('online', [{ status: 'offline', at: at(6) }, { status: 'busy', at: at(18) }, { status: 'online', at: at(20) }], start, end)).toBe(12 * HOUR_MS);
    expect(upMillisecondsInWindow('offline', [{ status: 'online', at: at(-5) }, { status: 'offline', at: at(30) }], start, end)).toBe(24 * HOUR_MS);
  });
});

describe('analytics.summary', () => {
  it('combines tasks, open work now, spend, agents by status, average uptime and memory', async () => {
    const summary = await asMaster().summary.query({ days: 2 });
    expect(summary).toEqual({
      days: 2,
      since: '2026-03-09T00:00:00.000Z',
      until: '2026-03-10T12:00:00.000Z',
      tasks: { total: 5, done: 1, failed: 1, successRatePercent: 50, active: 1, queued: 1 },
      costs: { totalCostUsd: 2, todayCostUsd: 0.5 },
      agents: { total: 2, online: 1, busy: 1, offline: 0, averageUptimePercent: 83.4 },
      memoryCount: 4,
    });
  });
});

describe('access', () => {
  it('needs admin:analytics: a viewer session and a worker token get 403; a commander token and a user session (the commander preset) read', async () => {
    const master = testHub.client({ token: testHub.masterToken });
    await master.users.create.mutate({ username: 'analytics-viewer', role: 'viewer', password: 'viewer-password-1' });
    await master.users.create.mutate({ username: 'analytics-user', role: 'user', password: 'user-password-1' });
    const viewer = { Cookie: await loginCookie(testHub.url, { username: 'analytics-viewer', password: 'viewer-password-1' }) };
    const user = { Cookie: await loginCookie(testHub.url, { username: 'analytics-user', password: 'user-password-1' }) };
    const admin = { Cookie: await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword }) };
    const worker = { Authorization: `Bearer ${(await master.tokens.create.mutate({ agentId: 'worker-x', preset: 'worker' })).token}` };
    const commander = { Authorization: `Bearer ${(await master.tokens.create.mutate({ agentId: 'commander-x', preset: 'commander' })).token}` };

    for (const procedure of ['analytics.tasks', 'analytics.costs', 'analytics.agents', 'analytics.summary']) {
      const call = (headers: Record<string, string>) => rawCall(testHub.url, procedure, { type: 'query', input: { days: 2 }, headers });
      const refusedViewer = await call(viewer);
      expect(refusedViewer.status, `${procedure} as viewer`).toBe(403);
      expect(refusedViewer.body.error.message).toBe('missing permission admin:analytics');
      expect((await call(worker)).status, `${procedure} as worker token`).toBe(403);
      expect((await call({})).status, `${procedure} signed out`).toBe(401);
      expect((await call(commander)).status, `${procedure} as commander token`).toBe(200);
      expect((await call(user)).status, `${procedure} as user session`).toBe(200);
      expect((await call(admin)).status, `${procedure} as admin session`).toBe(200);
    }
  });

  it('refuses a window outside 1..90 days', async () => {
    const headers = { Authorization: `Bearer ${testHub.masterToken}` };
    for (const days of [0, 91, 1.5]) {
      const result = await rawCall(testHub.url, 'analytics.tasks', { type: 'query', input: { days }, headers });
      expect(result.status, `days ${days}`).toBe(400);
      expect(result.body.error.data.field).toBe('days');
    }
    const ninety = await rawCall(testHub.url, 'analytics.summary', { type: 'query', input: { days: 90 }, headers });
    expect(ninety.status).toBe(200);
    expect(ninety.body.result.data.since).toBe('2025-12-11T00:00:00.000Z');
  });
});

// Last: it adds an agent, which the summaries above do not expect.
describe('a newly registered agent', () => {
  it('gives 100 % to an agent up every moment since it registered, however short a time ago', async () => {
    await registerWorker(testHub, { id: 'newcomer', capabilities: ['code'], maxConcurrent: 1 });
    clock.advance(1_000);
    const agents = await asMaster().agents.query({ days: 7 });
    expect(agents.agents.find((agent) => agent.agentId === 'newcomer')).toMatchObject({ uptimePercent: 100, upSeconds: 1 });
  });
});
