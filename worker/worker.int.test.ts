// Workers as real processes against a real hub: three runtimes over 60 tasks, a worker killed
// mid-task, the hub stopped while results are pending, and a worker stopped with SIGTERM.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeshEvent } from '../src/lib/events';
import { collectEvents, waitForSubscribers } from '../src/testing/event-collector';
import { startFakeAnthropic } from '../src/testing/fake-anthropic';
import { startFakeOpenAi } from '../src/testing/fake-openai';
import { runTypeScript, type HubProcess } from '../src/testing/hub-process';
import { ShiftedClock } from '../src/testing/manual-clock';
import { makeTempDir, startTestHub, type TestHub } from '../src/testing/test-hub';
import { sweepOfflineAgents } from '../src/server/sweepers/agent-offline';
import { sweepZombieTasks } from '../src/server/sweepers/zombie-tasks';

const FAKE_CLAUDE = path.resolve('src/testing/bin/fake-claude');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hubForTest(options: Parameters<typeof startTestHub>[0] = {}) {
  const testHub = await startTestHub({ ...options, env: { MESH_DAILY_TOKEN_BUDGET: '100000000', ...options.env } });
  cleanups.push(() => testHub.destroy().catch(() => undefined));
  return testHub;
}

async function startWorker(testHub: TestHub, id: string, flags: string[], env: Record<string, string> = {}): Promise<HubProcess> {
  const master = testHub.client({ token: testHub.masterToken });
  const { token } = await master.tokens.create.mutate({ agentId: id, preset: 'worker' });
  const outbox = makeTempDir('m3shd-outbox-');
  const worker = runTypeScript(
    'worker/main.ts',
    ['--id', id, '--heartbeat-ms', '300', '--claim-interval-ms', '500', '--stream-flush-ms', '50', '--outbox-dir', outbox, ...flags],
    { MESH_HUB: testHub.url, MESH_TOKEN: token, ...env },
  );
  cleanups.push(() => {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    fs.rmSync(outbox, { recursive: true, force: true });
  });
  await worker.waitForOutput('registered with');
  return worker;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('workers against a real hub', () => {
  it('three workers on three runtimes finish 60 tasks exactly once, streaming before completing', async () => {
    const testHub = await hubForTest();
    const anthropic = await startFakeAnthropic();
    const openai = await startFakeOpenAi();
    cleanups.push(() => anthropic.close(), () => openai.close());
    await startWorker(testHub, 'cli-worker', ['--runtime', 'claude-cli', '--command', FAKE_CLAUDE, '--capabilities', 'code,research', '--slots', '3']);
    await startWorker(testHub, 'api-worker', ['--runtime', 'anthropic', '--model', 'claude-haiku-4-5', '--capabilities', 'research,summarize', '--slots', '3'], {
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
    await startWorker(testHub, 'local-worker', ['--runtime', 'openai', '--model', 'local-llama', '--capabilities', 'summarize,chat', '--slots', '3'], {
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_API_KEY: 'local',
    });
    const watcher = collectEvents(testHub.client({ token: testHub.masterToken }));
    cleanups.push(() => watcher.stop());
    await waitForSubscribers(testHub, 4);

    const capabilities = ['code', 'research', 'summarize', 'chat'];
    const master = testHub.client({ token: testHub.masterToken });
    const created: string[] = [];
    for (let index = 0; index < 60; index += 1) {
      const task = await master.tasks.create.mutate({ title: `task ${index}`, prompt: `question number ${index}`, requiredCapability: capabilities[index % 4] });
      created.push(task.id);
    }
    await until('all 60 tasks done', async () => (await testHub.hub.db.task.count({ where: { status: 'done' } })) === 60, 90_000);
    // Events are published after the commit, so the last completions may still be on their way.
    await until('60 completion events', async () => watcher.events.filter((event) => event.type === 'task_completed').length >= 60, 10_000);

    const tasks = await testHub.hub.db.task.findMany({ include: { attemptRecords: true, costs: true } });
    expect(tasks).toHaveLength(60);
    for (const task of tasks) {
      expect(task.attemptRecords).toHaveLength(1);
      expect(task.output).toContain(`question number ${task.title.split(' ')[1]}`);
    }
    const byAgent = (agent: string) => tasks.filter((task) => task.assignedTo === agent);
    expect(byAgent('cli-worker').every((task) => ['code', 'research'].includes(task.requiredCapability!))).toBe(true);
    expect(byAgent('local-worker').every((task) => ['summarize', 'chat'].includes(task.requiredCapability!))).toBe(true);
    for (const agent of ['cli-worker', 'api-worker', 'local-worker']) expect(byAgent(agent).length).toBeGreaterThan(0);
    // The API runtimes report real usage; the hub priced what it knows.
    for (const task of [...byAgent('api-worker'), ...byAgent('local-worker')]) {
      expect(task.costs).toHaveLength(1);
      expect(task.costs[0]!.inputTokens).toBeGreaterThan(0);
    }
    expect(byAgent('api-worker')[0]!.costs[0]!.costSource).toBe('price_table');
    expect(byAgent('local-worker')[0]!.costs[0]!.costSource).toBe('reported');
    // Partial output reached the stream before each task completed.
    const events = watcher.events;
    for (const taskId of created) {
      const firstChunk = events.findIndex((event) => event.type === 'task_stream' && (event as MeshEvent<'task_stream'>).payload.taskId === taskId);
      const completed = events.findIndex((event) => event.type === 'task_completed' && (event as MeshEvent<'task_completed'>).payload.taskId === taskId);
      expect(firstChunk).toBeGreaterThanOrEqual(0);
      expect(firstChunk).toBeLessThan(completed);
    }
  }, 150_000);

  it('requeues the task of a worker killed with SIGKILL, and another worker finishes it', async () => {
    const clock = new ShiftedClock();
    const testHub = await hubForTest({ clock });
    const victim = await startWorker(testHub, 'victim', ['--runtime', 'command', '--command', "sh -c 'echo working; sleep 60'"]);
    const master = testHub.client({ token: testHub.masterToken });
    const task = await master.tasks.create.mutate({ title: 'survivor', prompt: 'finish me' });
    await until('the victim streaming', async () => (await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })) > 0);
    victim.child.kill('SIGKILL');
    await victim.exited();

    await startWorker(testHub, 'rescuer', ['--runtime', 'command', '--command', 'cat']);
    clock.advance(11 * 60_000);
    // Let the rescuer heartbeat on the moved clock, then sweep.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await sweepOfflineAgents(testHub.hub, clock.now())).toEqual(['victim']);
    expect(await sweepZombieTasks(testHub.hub, clock.now())).toEqual({ requeued: 1, failed: 0 });
    const done = await until('the rescue', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: { orderBy: { number: 'asc' } } } });
      return current.status === 'done' ? current : undefined;
    });
    expect(done.assignedTo).toBe('rescuer');
    expect(done.output).toBe('finish me');
    expect(done.attemptRecords.map((attempt) => `${attempt.agentId}:${attempt.status}`)).toEqual(['victim:stale', 'rescuer:done']);
  }, 60_000);

  it('keeps a result in the outbox while the hub is down and delivers it once after a restart', async () => {
    const port = await freePort();
    let testHub = await startTestHub({ port, env: { MESH_DAILY_TOKEN_BUDGET: '100000000' } });
    cleanups.push(() => testHub.destroy().catch(() => undefined));
    const worker = await startWorker(testHub, 'patient', ['--runtime', 'command', '--command', "sh -c 'sleep 1.5; echo finished'"]);
    const task = await testHub.client({ token: testHub.masterToken }).tasks.create.mutate({ title: 'slow', prompt: 'x' });
    await until('the task running', async () => (await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status === 'running');
    const { dataDir, masterToken, adminPassword } = testHub;
    await testHub.stop();
    await worker.waitForOutput('result kept in the outbox', 15_000);

    testHub = await startTestHub({ port, dataDir, masterToken, adminPassword });
    const done = await until('delivery from the outbox', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: true } });
      return current.status === 'done' ? current : undefined;
    });
    expect(done.output).toBe('finished\n');
    expect(done.attemptRecords).toHaveLength(1);
    expect(await testHub.hub.db.idempotencyKey.count()).toBe(1);
    await worker.waitForOutput('from the outbox');
  }, 60_000);

  it('hands off a running task with its partial output on SIGTERM', async () => {
    const testHub = await hubForTest();
    const worker = await startWorker(testHub, 'leaving', ['--runtime', 'command', '--command', "sh -c 'echo partial-work; sleep 60'", '--grace-ms', '300', '--capabilities', 'research']);
    const task = await testHub.client({ token: testHub.masterToken }).tasks.create.mutate({ title: 'long', prompt: 'research it', requiredCapability: 'research' });
    await until('partial output streamed', async () => (await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })) > 0);
    worker.child.kill('SIGTERM');
    expect((await worker.exited()).code).toBe(0);
    const original = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(original).toMatchObject({ status: 'suspended', output: 'partial-work\n' });
    const continuation = await testHub.hub.db.task.findFirstOrThrow({ where: { continuesTaskId: task.id } });
    expect(continuation.prompt).toContain('partial-work');
    expect(continuation.requiredCapability).toBe('research');
  }, 60_000);

  it('hands off instead of overrunning when its agent nears the daily token budget', async () => {
    const testHub = await hubForTest({ env: { MESH_DAILY_TOKEN_BUDGET: '1000' } });
    const worker = await startWorker(testHub, 'thrifty', ['--runtime', 'command', '--command', "sh -c 'echo some-work; sleep 60'"]);
    const master = testHub.client({ token: testHub.masterToken });
    const task = await master.tasks.create.mutate({ title: 'long', prompt: 'x' });
    await until('partial output streamed', async () => (await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })) > 0);
    // Another run of this agent used 960 of its 1,000 tokens today: past the 95% handoff line.
    await master.costs.log.mutate({ agentId: 'thrifty', model: 'claude-haiku-4-5', inputTokens: 900, outputTokens: 60 });
    await worker.waitForOutput('near the daily token budget');
    const original = await until('the handoff', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
      return current.status === 'suspended' ? current : undefined;
    });
    expect(original.output).toBe('some-work\n');
    expect(await testHub.hub.db.task.count({ where: { continuesTaskId: task.id } })).toBe(1);
  }, 60_000);
});
