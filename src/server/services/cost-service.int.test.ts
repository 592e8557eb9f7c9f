// Cost tracking against a real hub (ManualClock) and a real fake ntfy: pricing and the worker's
// reported figure, the budget alert once per UTC day per agent, the daily token budget refusal,
// the summary by agent and by day, and who may log for whom.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeNtfy, type FakeNtfy } from '../../testing/fake-ntfy';
import { ManualClock } from '../../testing/manual-clock';
import { registerWorker } from '../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

let testHub: TestHub | undefined;
let fake: FakeNtfy | undefined;

afterEach(async () => {
  await testHub?.destroy();
  testHub = undefined;
  await fake?.close();
  fake = undefined;
});

async function agentClient(hub: TestHub, agentId: string, preset: 'worker' | 'commander' = 'worker') {
  const { token } = await hub.client({ token: hub.masterToken }).tokens.create.mutate({ agentId, preset });
  return { token, client: hub.client({ token }) };
}

describe('budget alert', () => {
  it('fires once per UTC day per agent: crossing $1 twice in a day alerts once, the next UTC day alerts again', async () => {
    fake = await startFakeNtfy();
    const clock = new ManualClock('2026-03-10T10:00:00Z');
    testHub = await startTestHub({ clock, env: { MESH_NTFY_URL: fake.url, MESH_NTFY_TOPIC: 'costs', MESH_BUDGET_ALERT_USD: '1' } });
    const { hub } = testHub;
    const rex = await agentClient(testHub, 'rex');
    const archon = await agentClient(testHub, 'archon');
    // Sonnet 100k in + 50k out = $0.30 + $0.75 = $1.05.
    const sonnet = { model: 'claude-sonnet-4-5-20250929', inputTokens: 100_000, outputTokens: 50_000 };

    await rex.client.costs.log.mutate(sonnet);
    clock.advance(HOUR_MS);
    await rex.client.costs.log.mutate(sonnet);
    await rex.client.costs.log.mutate(sonnet);
    await archon.client.costs.log.mutate(sonnet);
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.title)).toEqual(['Budget: rex spent $1.05 today', 'Budget: archon spent $1.05 today']);
    expect(fake.received[0]).toMatchObject({ path: '/costs', priority: '4', tags: ['moneybag', 'budget'] });
    expect(fake.received[0]!.body).toContain('on 2026-03-10 (UTC), at or above the $1.00 daily alert threshold');

    // 00:30 UTC the next day: a new day, a new key. Haiku 500k in = $0.50; the second reaches $1.00 exactly.
    clock.advance(DAY_MS - 10 * HOUR_MS - HOUR_MS + 30 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2026-03-11T00:30:00.000Z');
    const haiku = { model: 'claude-haiku-4-5', inputTokens: 500_000, outputTokens: 0 };
    await rex.client.costs.log.mutate(haiku);
    await hub.alerts.flush();
    expect(fake.received).toHaveLength(2);
    await rex.client.costs.log.mutate(haiku);
    await rex.client.costs.log.mutate(haiku);
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.title)).toEqual([
      'Budget: rex spent $1.05 today',
      'Budget: archon spent $1.05 today',
      'Budget: rex spent $1.00 today',
    ]);
    const keys = await hub.db.alertSent.findMany({ where: { kind: 'budget' }, orderBy: { sentAt: 'asc' } });
    expect(keys.map((row) => row.dedupKey)).toEqual(['rex:2026-03-10', 'archon:2026-03-10', 'rex:2026-03-11']);
  });
});

describe('pricing', () => {
  it('prices known models from the table; an unknown model keeps the reported cost, marked reported', async () => {
    testHub = await startTestHub({ clock: new ManualClock('2026-03-10T10:00:00Z') });
    const rex = await agentClient(testHub, 'rex');
    const local = await rex.client.costs.log.mutate({ model: 'llama3.1:70b', inputTokens: 12_000, outputTokens: 3_000, reportedCostUsd: 0.42 });
    expect(local).toMatchObject({ agentId: 'rex', model: 'llama3.1:70b', costUsd: 0.42, costSource: 'reported', taskId: null });
    const unreported = await rex.client.costs.log.mutate({ model: 'llama3.1:70b', inputTokens: 1_000, outputTokens: 10 });
    expect(unreported).toMatchObject({ costUsd: 0, costSource: 'reported' });
    // A known model: the hub's table wins over the worker's figure.
    const opus = await rex.client.costs.log.mutate({ model: 'claude-opus-4-1-20250805', inputTokens: 10_000, outputTokens: 2_000, reportedCostUsd: 99 });
    expect(opus).toMatchObject({ costUsd: 0.3, costSource: 'price_table' });

    const stored = await testHub.hub.db.costLog.findMany({ orderBy: { id: 'asc' }, select: { costSource: true, costUsd: true } });
    expect(stored).toEqual([
      { costSource: 'reported', costUsd: 0.42 },
      { costSource: 'reported', costUsd: 0 },
      { costSource: 'price_table', costUsd: 0.3 },
    ]);
    const events = await testHub.hub.db.eventLog.findMany({ where: { type: 'cost_logged' }, orderBy: { id: 'asc' } });
    expect(events.map((event) => [event.permission, event.agentId, JSON.parse(event.payload).costUsd])).toEqual([
      ['tasks:read', 'rex', 0.42],
      ['tasks:read', 'rex', 0],
      ['tasks:read', 'rex', 0.3],
    ]);
  });
});

describe('daily token budget', () => {
  it('refuses claims once the budget is used, naming the usage, until 00:00 UTC; an agent’s own budget overrides the hub’s', async () => {
    const clock = new ManualClock('2026-03-10T22:00:00Z');
    testHub = await startTestHub({ clock, env: { MESH_DAILY_TOKEN_BUDGET: '1000' } });
    const { hub } = testHub;
    const rex = await registerWorker(testHub, { id: 'rex' });
    await hub.costs.logUsage({ agentId: 'rex', model: 'claude-haiku-4-5', inputTokens: 600, outputTokens: 300 });
    expect(await hub.costs.tokensUsedToday('rex')).toBe(900);
    expect(await hub.costs.budgetFor('rex')).toBe(1000);
    await expect(hub.costs.assertWithinBudget('rex')).resolves.toBeUndefined();

    await hub.costs.logUsage({ agentId: 'rex', model: 'claude-haiku-4-5', inputTokens: 100, outputTokens: 0 });
    const message = 'agent rex has used its daily token budget (1000 of 1000 tokens); it can claim again after 00:00 UTC';
    await expect(hub.costs.assertWithinBudget('rex')).rejects.toMatchObject({ kind: 'rate_limited', message, details: { retryAfterSeconds: 7_200 } });
    const refused = await rawCall(testHub.url, 'tasks.claim', { type: 'mutation', input: {}, headers: { Authorization: `Bearer ${rex.token}` } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toBe(message);

    // The agent's own budget (agents.update) replaces the hub's default.
    await testHub.client({ token: testHub.masterToken }).agents.update.mutate({ agentId: 'rex', dailyTokenBudget: 5_000 });
    expect(await hub.costs.budgetFor('rex')).toBe(5_000);
    await expect(hub.costs.assertWithinBudget('rex')).resolves.toBeUndefined();
    await testHub.client({ token: testHub.masterToken }).agents.update.mutate({ agentId: 'rex', dailyTokenBudget: null });
    await expect(hub.costs.assertWithinBudget('rex')).rejects.toMatchObject({ kind: 'rate_limited' });

    // A new UTC day starts from zero.
    clock.advance(2 * HOUR_MS);
    expect(await hub.costs.tokensUsedToday('rex')).toBe(0);
    await expect(hub.costs.assertWithinBudget('rex')).resolves.toBeUndefined();
    expect(await rex.client.tasks.claim.mutate({})).toEqual([]);
  });
});

describe('costs.summary', () => {
  it('rolls up by agent and by day, with today’s total and the reported rows', async () => {
    const clock = new ManualClock('2026-03-08T09:00:00Z');
    testHub = await startTestHub({ clock });
    const master = testHub.client({ token: testHub.masterToken });
    const rex = await agentClient(testHub, 'rex');
    const archon = await agentClient(testHub, 'archon');
    const task1 = await master.tasks.create.mutate({ title: 'one', prompt: 'first task' });
    const task2 = await master.tasks.create.mutate({ title: 'two', prompt: 'second task' });

    // Usage against tasks is logged as the hub does for workers' reports (an agent token may
    // log only against its own agent's tasks, and these were never assigned).
    const logForTask = (agentId: string, usage: { taskId: string; model: string; inputTokens: number; outputTokens: number }) =>
      testHub!.hub.costs.logUsage({ agentId, ...usage });
    // 2026-03-08: rex, Sonnet 100k in = $0.30 on task 1.
    await logForTask('rex', { taskId: task1.id, model: 'claude-sonnet-4', inputTokens: 100_000, outputTokens: 0 });
    clock.advance(DAY_MS);
    // 2026-03-09: archon, Opus 10k in + 2k out = $0.30 on task 2; rex, an unpriced model, no task.
    await logForTask('archon', { taskId: task2.id, model: 'claude-opus-4', inputTokens: 10_000, outputTokens: 2_000 });
    await rex.client.costs.log.mutate({ model: 'gpt-4o', inputTokens: 1_000, outputTokens: 500, reportedCostUsd: 0.05 });
    clock.advance(DAY_MS);
    // 2026-03-10 (today): rex, Haiku 1M in = $1.00 on task 1, 100k out = $0.50 on task 2.
    await logForTask('rex', { taskId: task1.id, model: 'claude-haiku-4-5', inputTokens: 1_000_000, outputTokens: 0 });
    await logForTask('rex', { taskId: task2.id, model: 'claude-haiku-4-5', inputTokens: 0, outputTokens: 100_000 });
    // A worker token cannot log against a task that is not its agent's.
    await expect(rex.client.costs.log.mutate({ taskId: task2.id, model: 'claude-haiku-4-5', inputTokens: 1, outputTokens: 1 })).rejects.toThrow(/taskId: task not found/);

    const summary = await master.costs.summary.query();
    expect(summary.days).toBe(7);
    expect(summary.since).toBe('2026-03-04T00:00:00.000Z');
    expect(summary.agentId).toBeNull();
    expect(summary.byDay).toEqual([
      { day: '2026-03-04', inputTokens: 0, outputTokens: 0, costUsd: 0 },
      { day: '2026-03-05', inputTokens: 0, outputTokens: 0, costUsd: 0 },
      { day: '2026-03-06', inputTokens: 0, outputTokens: 0, costUsd: 0 },
      { day: '2026-03-07', inputTokens: 0, outputTokens: 0, costUsd: 0 },
      { day: '2026-03-08', inputTokens: 100_000, outputTokens: 0, costUsd: 0.3 },
      { day: '2026-03-09', inputTokens: 11_000, outputTokens: 2_500, costUsd: 0.35 },
      { day: '2026-03-10', inputTokens: 1_000_000, outputTokens: 100_000, costUsd: 1.5 },
    ]);
    expect(summary.todayCostUsd).toBe(1.5);
    expect(summary.totalCostUsd).toBe(2.15);
    expect(summary.byAgent).toEqual([
      { agentId: 'rex', inputTokens: 1_101_000, outputTokens: 100_500, costUsd: 1.85, todayCostUsd: 1.5, tasks: 2, avgCostPerTaskUsd: 0.9, rows: 4, reportedRows: 1 },
      { agentId: 'archon', inputTokens: 10_000, outputTokens: 2_000, costUsd: 0.3, todayCostUsd: 0, tasks: 1, avgCostPerTaskUsd: 0.3, rows: 1, reportedRows: 0 },
    ]);
    expect(summary.sources).toEqual({
      priceTable: { rows: 4, costUsd: 2.1 },
      reported: { rows: 1, costUsd: 0.05, models: [{ model: 'gpt-4o', rows: 1, costUsd: 0.05 }] },
    });

    // days: 1 is today only.
    const today = await master.costs.summary.query({ days: 1 });
    expect(today.byDay).toEqual([{ day: '2026-03-10', inputTokens: 1_000_000, outputTokens: 100_000, costUsd: 1.5 }]);
    expect(today.byAgent.map((agent) => [agent.agentId, agent.costUsd, agent.tasks])).toEqual([['rex', 1.5, 2]]);

    // An agent token without admin:analytics sees its own agent; a commander token sees the mesh.
    const own = await archon.client.costs.summary.query({ days: 7 });
    expect(own.agentId).toBe('archon');
    expect(own.byAgent.map((agent) => agent.agentId)).toEqual(['archon']);
    expect(own.totalCostUsd).toBe(0.3);
    const other = await rawCall(testHub.url, 'costs.summary', { type: 'query', input: { agentId: 'rex' }, headers: { Authorization: `Bearer ${archon.token}` } });
    expect(other.status).toBe(403);
    const commander = await agentClient(testHub, 'boss', 'commander');
    expect((await commander.client.costs.summary.query()).byAgent.map((agent) => agent.agentId)).toEqual(['rex', 'archon']);
    expect((await master.costs.summary.query({ agentId: 'archon' })).byAgent.map((agent) => agent.agentId)).toEqual(['archon']);

    for (const days of [0, 91, 1.5]) {
      const invalid = await rawCall(testHub.url, 'costs.summary', { type: 'query', input: { days }, headers: { Authorization: `Bearer ${testHub.masterToken}` } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.data.field).toBe('days');
    }
  });
});

describe('costs.log', () => {
  it('lets an agent token log only for its own agent', async () => {
    testHub = await startTestHub();
    const rex = await agentClient(testHub, 'rex');
    const forOther = await rawCall(testHub.url, 'costs.log', {
      type: 'mutation',
      input: { agentId: 'archon', model: 'claude-sonnet-4', inputTokens: 10, outputTokens: 10 },
      headers: { Authorization: `Bearer ${rex.token}` },
    });
    expect(forOther.status).toBe(403);
    expect(forOther.body.error.message).toBe('this token is bound to agent rex, not archon');
    expect(await testHub.hub.db.costLog.count()).toBe(0);

    expect(await rex.client.costs.log.mutate({ agentId: 'rex', model: 'claude-sonnet-4', inputTokens: 10, outputTokens: 10 })).toMatchObject({ agentId: 'rex' });
    expect(await rex.client.costs.log.mutate({ model: 'claude-sonnet-4', inputTokens: 10, outputTokens: 10 })).toMatchObject({ agentId: 'rex' });

    const master = { Authorization: `Bearer ${testHub.masterToken}` };
    const noAgent = await rawCall(testHub.url, 'costs.log', { type: 'mutation', input: { model: 'claude-sonnet-4', inputTokens: 1, outputTokens: 1 }, headers: master });
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.error.data.field).toBe('agentId');
    const unknownTask = await rawCall(testHub.url, 'costs.log', {
      type: 'mutation',
      input: { agentId: 'archon', taskId: 'no-such-task', model: 'claude-sonnet-4', inputTokens: 1, outputTokens: 1 },
      headers: master,
    });
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.body.error.data.field).toBe('taskId');
    const negative = await rawCall(testHub.url, 'costs.log', { type: 'mutation', input: { agentId: 'archon', model: 'x', inputTokens: -1, outputTokens: 1 }, headers: master });
    expect(negative.status).toBe(400);
    expect(await testHub.hub.db.costLog.count()).toBe(2);
  });
});
