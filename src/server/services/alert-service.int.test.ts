// ntfy alerts against a real hub and a real fake ntfy server: what is POSTed, de-duplication per
// alert kind, delivery off the request path, and failures that stay out of callers and logs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeNtfy, type FakeNtfy } from '../../testing/fake-ntfy';
import { ManualClock } from '../../testing/manual-clock';
import { registerWorker } from '../../testing/mesh-fixtures';
import { memoryLogger } from '../../testing/memory-logger';
import { startTestHub, type TestHub } from '../../testing/test-hub';
import { sweepOfflineAgents } from '../sweepers/agent-offline';
import { escalationAlert } from './alert-service';

const TOPIC = 'mesh-alerts-test';

let fake: FakeNtfy;
let testHub: TestHub | undefined;

beforeEach(async () => {
  fake = await startFakeNtfy();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await testHub?.destroy();
  testHub = undefined;
  await fake.close();
});

async function startHubWithNtfy(clock = new ManualClock('2026-03-10T10:00:00Z'), env: Record<string, string> = {}) {
  const logs = memoryLogger('warn');
  testHub = await startTestHub({ clock, env: { MESH_NTFY_URL: fake.url, MESH_NTFY_TOPIC: TOPIC, ...env }, logger: logs.logger });
  return { hub: testHub.hub, clock, logs };
}

async function alertEvents(hub: TestHub['hub']) {
  const rows = await hub.db.eventLog.findMany({ where: { type: 'alert_sent' }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({ permission: row.permission, agentId: row.agentId, payload: JSON.parse(row.payload) as { kind: string; title: string } }));
}

describe('delivery to ntfy', () => {
  it('POSTs the message to <ntfy url>/<topic> with Title, Priority and Tags, and publishes alert_sent', async () => {
    const { hub } = await startHubWithNtfy();
    const outcome = await hub.alerts.send({
      kind: 'task_failed',
      dedupKey: 'task-1',
      title: 'Task failed: “nightly report” – 3rd attempt',
      message: 'rex failed "nightly report" 3 times: timeout ⏱',
      priority: 5,
    });
    expect(outcome).toBe('sent');
    await hub.alerts.flush();
    expect(fake.received).toEqual([
      {
        path: `/${TOPIC}`,
        title: 'Task failed: “nightly report” – 3rd attempt',
        priority: '5',
        tags: ['x', 'task_failed'],
        body: 'rex failed "nightly report" 3 times: timeout ⏱',
      },
    ]);
    expect(await alertEvents(hub)).toEqual([
      { permission: 'admin:analytics', agentId: null, payload: { kind: 'task_failed', title: 'Task failed: “nightly report” – 3rd attempt' } },
    ]);
    const row = await hub.db.alertSent.findUniqueOrThrow({ where: { kind_dedupKey: { kind: 'task_failed', dedupKey: 'task-1' } } });
    expect(row.clearedAt).toBeNull();
  });

  it('cuts a message to ntfy’s size limit and keeps titles on one line', async () => {
    const { hub } = await startHubWithNtfy();
    await hub.alerts.send({ kind: 'task_failed', dedupKey: 'task-long', title: 'Task failed:\nlong output', message: 'é'.repeat(5_000) });
    await hub.alerts.flush();
    const [message] = fake.received;
    expect(message!.title).toBe('Task failed: long output');
    expect(Buffer.byteLength(message!.body, 'utf8')).toBeLessThanOrEqual(4_000);
    expect(message!.body).toMatch(/^é+\.\.\.$/);
  });

  it('returns from send() at once while ntfy takes 2 s to answer; flush() waits for the delivery', async () => {
    const { hub } = await startHubWithNtfy();
    fake.setDelay(2_000);
    const outcome = await hub.alerts.send({ kind: 'escalation', dedupKey: 'esc-slow', title: 'Escalation: rex → archon', message: 'slow ntfy' });
    expect(outcome).toBe('sent');
    // Recorded and published already; ntfy has not answered yet.
    expect(await hub.db.alertSent.count({ where: { kind: 'escalation', dedupKey: 'esc-slow' } })).toBe(1);
    // send() returned before the delivery finished: the request path never waits for ntfy.
    expect(fake.answeredCount()).toBe(0);

    await hub.alerts.flush();
    expect(fake.answeredCount()).toBe(1);
    expect(fake.received.map((message) => message.title)).toEqual(['Escalation: rex → archon']);
  });

  it('answers a request that raises an alert without waiting for a slow ntfy', async () => {
    const { hub } = await startHubWithNtfy();
    fake.setDelay(2_000);
    const master = testHub!.client({ token: testHub!.masterToken });
    // $1.05 of Sonnet crosses the $1 budget-alert threshold inside this request, which is
    // answered while ntfy is still holding the alert.
    await master.costs.log.mutate({ agentId: 'rex', model: 'claude-sonnet-4-5', inputTokens: 100_000, outputTokens: 50_000 });
    expect(fake.answeredCount()).toBe(0);
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.title)).toEqual(['Budget: rex spent $1.05 today']);
  });

  it('logs a failed delivery as one line without the URL or topic, and never throws into the caller', async () => {
    const { hub, logs } = await startHubWithNtfy();
    fake.setStatus(500);
    expect(await hub.alerts.send({ kind: 'task_failed', dedupKey: 'task-500', title: 'Task failed: a', message: 'boom' })).toBe('sent');
    await hub.alerts.flush();
    expect(fake.received).toHaveLength(1);
    expect(logs.lines.map((entry) => entry.level)).toEqual(['warn']);
    const line = logs.raw[0]!;
    expect(line).toContain('alert delivery failed (task_failed): ntfy answered 500');
    expect(line).not.toContain(fake.url);
    expect(line).not.toContain(TOPIC);
    // The alert stays recorded: a failed push is not retried as a new alert.
    expect(await hub.alerts.send({ kind: 'task_failed', dedupKey: 'task-500', title: 'Task failed: a', message: 'boom' })).toBe('duplicate');
  });

  it('survives an unreachable ntfy the same way', async () => {
    const closed = await startFakeNtfy();
    const unreachableUrl = closed.url;
    await closed.close();
    const logs = memoryLogger('warn');
    testHub = await startTestHub({ env: { MESH_NTFY_URL: unreachableUrl, MESH_NTFY_TOPIC: TOPIC }, logger: logs.logger });
    expect(await testHub.hub.alerts.send({ kind: 'agent_down', dedupKey: 'rex', title: 'Agent down: rex', message: 'gone' })).toBe('sent');
    await testHub.hub.alerts.flush();
    expect(logs.lines.map((entry) => entry.level)).toEqual(['warn']);
    const line = logs.raw[0]!;
    expect(line).toMatch(/alert delivery failed \(agent_down\): \S+/);
    expect(line).not.toContain(unreachableUrl.replace('http://', ''));
  });

  it('without MESH_NTFY_URL still de-duplicates, records and publishes, but POSTs nothing', async () => {
    testHub = await startTestHub();
    const { hub } = testHub;
    expect(await hub.alerts.send({ kind: 'budget', dedupKey: 'rex:2026-01-01', title: 'Budget: rex', message: 'spent' })).toBe('sent');
    expect(await hub.alerts.send({ kind: 'budget', dedupKey: 'rex:2026-01-01', title: 'Budget: rex', message: 'spent' })).toBe('duplicate');
    await hub.alerts.flush();
    expect(await hub.db.alertSent.count()).toBe(1);
    expect((await alertEvents(hub)).map((event) => event.payload)).toEqual([{ kind: 'budget', title: 'Budget: rex' }]);
    expect(fake.received).toEqual([]);
  });

  it('delivers alerts still queued when the hub closes, before the database closes', async () => {
    const { hub } = await startHubWithNtfy();
    fake.setDelay(200);
    for (const key of ['a', 'b', 'c']) await hub.alerts.send({ kind: 'task_failed', dedupKey: key, title: `Task failed: ${key}`, message: key });
    await testHub!.stop();
    expect(fake.received.map((message) => message.body)).toEqual(['a', 'b', 'c']);
    expect(fake.answeredCount()).toBe(3);
  });
});

describe('de-duplication per alert kind', () => {
  it('agent_down: once per outage; after clear() (the agent came back) the next outage alerts again', async () => {
    const { hub } = await startHubWithNtfy();
    const down = { kind: 'agent_down' as const, dedupKey: 'rex', title: 'Agent down: rex', message: 'rex missed its heartbeats' };
    expect(await hub.alerts.send(down)).toBe('sent');
    expect(await hub.alerts.send(down)).toBe('duplicate');
    expect(await hub.alerts.send(down)).toBe('duplicate');
    expect(await hub.alerts.clear('agent_down', 'rex')).toBe(true);
    expect(await hub.alerts.clear('agent_down', 'rex')).toBe(false);
    expect(await hub.alerts.send(down)).toBe('sent');
    expect(await hub.alerts.send(down)).toBe('duplicate');
    // Another agent's outage is its own condition.
    expect(await hub.alerts.send({ ...down, dedupKey: 'archon', title: 'Agent down: archon' })).toBe('sent');
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.title)).toEqual(['Agent down: rex', 'Agent down: rex', 'Agent down: archon']);
    expect(await hub.db.alertSent.count({ where: { kind: 'agent_down' } })).toBe(2);
  });

  it('agent_down through the hub: the offline sweeper alerts, a heartbeat re-arms, the next outage alerts again', async () => {
    const clock = new ManualClock('2026-03-10T10:00:00Z');
    const { hub } = await startHubWithNtfy(clock);
    const rex = await registerWorker(testHub!, { id: 'rex' });
    clock.advance((hub.config.heartbeatTimeoutSeconds + 1) * 1000);
    await sweepOfflineAgents(hub, clock.now());
    await sweepOfflineAgents(hub, clock.now());
    await hub.alerts.flush();
    expect(fake.received.filter((message) => message.tags.includes('agent_down'))).toHaveLength(1);

    await rex.client.agents.heartbeat.mutate({ agentId: 'rex' });
    await hub.alerts.flush();
    expect((await hub.db.alertSent.findUniqueOrThrow({ where: { kind_dedupKey: { kind: 'agent_down', dedupKey: 'rex' } } })).clearedAt).not.toBeNull();
    clock.advance((hub.config.heartbeatTimeoutSeconds + 1) * 1000);
    await sweepOfflineAgents(hub, clock.now());
    await hub.alerts.flush();
    expect(fake.received.filter((message) => message.tags.includes('agent_down'))).toHaveLength(2);
  });

  it('task_failed: once per task id', async () => {
    const { hub } = await startHubWithNtfy();
    const failed = (taskId: string) => ({ kind: 'task_failed' as const, dedupKey: taskId, title: `Task failed: ${taskId}`, message: 'failed on its 3rd attempt' });
    expect(await hub.alerts.send(failed('task-1'))).toBe('sent');
    expect(await hub.alerts.send(failed('task-1'))).toBe('duplicate');
    expect(await hub.alerts.send(failed('task-2'))).toBe('sent');
    // The engine never clears task_failed: a task fails for good once, so it alerts once.
    expect(await hub.alerts.send(failed('task-2'))).toBe('duplicate');
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.title)).toEqual(['Task failed: task-1', 'Task failed: task-2']);
  });

  it('escalation: once per escalation id, raised by the escalation service itself', async () => {
    const { hub } = await startHubWithNtfy();
    const first = await hub.escalations.escalate({ fromAgent: 'rex', taskId: null, reason: '3 consecutive failures' });
    const second = await hub.escalations.escalate({ fromAgent: 'rex', taskId: null, reason: 'still failing' });
    await fake.waitForMessages(2);
    expect(await hub.alerts.send(escalationAlert(first))).toBe('duplicate');
    expect(await hub.alerts.send(escalationAlert(second))).toBe('duplicate');
    await hub.alerts.flush();
    expect(fake.received.map((message) => message.body)).toEqual([
      'rex escalated to operator: 3 consecutive failures',
      'rex escalated to operator: still failing',
    ]);
    expect(fake.received[0]!.title).toBe('Escalation: rex → operator');
    expect((await hub.db.alertSent.findMany({ where: { kind: 'escalation' } })).map((row) => row.dedupKey).sort()).toEqual([first.id, second.id].sort());
  });

  it('one alert when two sends of one condition race', async () => {
    const { hub } = await startHubWithNtfy();
    const alert = { kind: 'task_failed' as const, dedupKey: 'task-race', title: 'Task failed: race', message: 'race' };
    const outcomes = await Promise.all([hub.alerts.send(alert), hub.alerts.send(alert), hub.alerts.send(alert)]);
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    await hub.alerts.flush();
    expect(fake.received).toHaveLength(1);
  });
});
