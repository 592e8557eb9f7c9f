// Workers as real processes against a real hub: three runtimes over 60 tasks, a worker killed
// mid-task, the hub stopped while results are pending, a worker stopped with SIGTERM, results a
// crashed worker left in its outbox, a worker replaced by a newer process of its agent; and one
// worker in this process behind a recording proxy, to see exactly what it sends (instance id,
// chunk keys, the load gate's pause, goOffline).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceIdSchema } from '../src/lib/agents';
import type { MeshEvent } from '../src/lib/events';
import { collectEvents, waitForSubscribers } from '../src/testing/event-collector';
import { startFakeAnthropic } from '../src/testing/fake-anthropic';
import { startFakeOpenAi } from '../src/testing/fake-openai';
import { runTypeScript, type HubProcess } from '../src/testing/hub-process';
import { ShiftedClock } from '../src/testing/manual-clock';
import { makeTempDir, startTestHub, type TestHub } from '../src/testing/test-hub';
import { sweepOfflineAgents } from '../src/server/sweepers/agent-offline';
import { sweepZombieTasks } from '../src/server/sweepers/zombie-tasks';
import { registerWorker } from '../src/testing/mesh-fixtures';
import { parseWorkerConfig, type WorkerConfig } from './config';
import { Outbox } from './outbox';
import { estimateUsage, type Runtime } from './runtimes/runtime';
import { Worker } from './worker';
import { freePort } from '../src/testing/free-port';

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

async function agentToken(testHub: TestHub, id: string): Promise<string> {
  const master = testHub.client({ token: testHub.masterToken });
  return (await master.tokens.create.mutate({ agentId: id, preset: 'worker' })).token;
}

async function startWorker(
  testHub: TestHub,
  id: string,
  flags: string[],
  env: Record<string, string> = {},
  options: { outbox?: string; token?: string; waitFor?: string } = {},
): Promise<HubProcess> {
  const token = options.token ?? (await agentToken(testHub, id));
  const outbox = options.outbox ?? makeTempDir('m3shd-outbox-');
  const worker = runTypeScript(
    'worker/main.ts',
    // A busy test machine's load average must not pause these workers (the gate has its own test).
    ['--id', id, '--heartbeat-ms', '300', '--claim-interval-ms', '500', '--stream-flush-ms', '50', '--outbox-dir', outbox, '--max-load', '1000', ...flags],
    { MESH_HUB: testHub.url, MESH_TOKEN: token, ...env },
  );
  cleanups.push(() => {
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    fs.rmSync(outbox, { recursive: true, force: true });
  });
  await worker.waitForOutput(options.waitFor ?? 'registered with');
  return worker;
}

interface RecordedCall {
  procedure: string;
  input: Record<string, unknown>;
  /** When the proxy received the request (Date.now()). */
  sentAt: number;
  /** The hub's answer, once it has been relayed. */
  answer?: string;
}

/** Forwards everything to the hub (SSE included) and records each mutation's procedure and input. */
async function startRecordingProxy(target: string): Promise<{ url: string; calls: RecordedCall[]; of(procedure: string): RecordedCall[]; close(): Promise<void> }> {
  const calls: RecordedCall[] = [];
  const server = http.createServer((request, response) => {
    void (async () => {
      const parts: Buffer[] = [];
      for await (const part of request) parts.push(part as Buffer);
      const body = Buffer.concat(parts);
      const procedure = new URL(request.url!, 'http://proxy').pathname.replace(/^\/api\/trpc\//, '');
      const call: RecordedCall | undefined =
        request.method === 'POST' && body.length > 0 ? { procedure, input: JSON.parse(body.toString('utf8')) as Record<string, unknown>, sentAt: Date.now() } : undefined;
      if (call) calls.push(call);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
      }
      const abort = new AbortController();
      response.on('close', () => abort.abort());
      try {
        const answer = await fetch(`${target}${request.url}`, { method: request.method, headers, body: body.length > 0 ? body : undefined, signal: abort.signal });
        const answerHeaders: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) answerHeaders[name] = value;
        });
        response.writeHead(answer.status, answerHeaders);
        const relayed: Buffer[] = [];
        if (answer.body) {
          for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
            response.write(chunk);
            if (call) relayed.push(Buffer.from(chunk));
          }
        }
        if (call) call.answer = Buffer.concat(relayed).toString('utf8');
        response.end();
      } catch {
        response.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    of: (procedure) => calls.filter((call) => call.procedure === procedure),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A runtime in this process: three pieces of output, 80 ms apart. */
const countingRuntime: Runtime = {
  name: 'command',
  startupProblem: async () => null,
  async run(task, options) {
    for (const piece of ['one ', 'two ', 'three']) {
      options.onChunk(piece);
      await sleep(80);
    }
    return { output: 'one two three', usage: estimateUsage('command', task.prompt, 'one two three') };
  },
};

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
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
    // The claude CLI's usage comes from its JSON output (the fake names no model it can price).
    for (const task of byAgent('cli-worker')) {
      expect(task.costs).toHaveLength(1);
      expect(task.costs[0]).toMatchObject({ model: 'fake-default', costSource: 'reported' });
      expect(task.costs[0]!.inputTokens).toBeGreaterThan(0);
      expect(task.costs[0]!.costUsd).toBeGreaterThan(0);
    }
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
    // The offline sweep returns what the agent held at once; the zombie sweep is the last resort.
    expect((await sweepZombieTasks(testHub.hub, clock.now())).failed).toBe(0);
    const done = await until('the rescue', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: { orderBy: { number: 'asc' } }, costs: true } });
      return current.status === 'done' ? current : undefined;
    });
    expect(done.assignedTo).toBe('rescuer');
    expect(done.output).toBe('finish me');
    expect(done.attemptRecords.map((attempt) => `${attempt.agentId}:${attempt.status}`)).toEqual(['victim:stale', 'rescuer:done']);
    // A command prints no token counts: the worker's estimate, under a name the price table does not know.
    expect(done.costs).toEqual([expect.objectContaining({ model: 'estimate:command', inputTokens: 3, outputTokens: 3, costUsd: 0, costSource: 'reported' })]);
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
    expect(await testHub.hub.db.idempotencyKey.count({ where: { scope: 'tasks.report' } })).toBe(1);
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
    // The handoff carried its key, and the hub heard the goodbye: offline now, not after the heartbeat timeout.
    expect(await testHub.hub.db.idempotencyKey.count({ where: { scope: 'tasks.handoff' } })).toBe(1);
    expect(worker.output()).toContain('told the hub this agent is going offline');
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'leaving' } })).status).toBe('offline');
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

  it('delivers what a crashed worker left in its outbox before the new instance registers', async () => {
    const testHub = await hubForTest();
    // The crashed process: it claimed, finished, wrote its result to the outbox, and died before sending it.
    const crashed = await registerWorker(testHub, { id: 'phoenix' });
    const task = await testHub.client({ token: testHub.masterToken }).tasks.create.mutate({ title: 'almost done', prompt: 'x', assignTo: 'phoenix' });
    await testHub.hub.dispatcher.settled();
    const [claim] = await crashed.client.tasks.claim.mutate({});
    expect(claim!.taskId).toBe(task.id);
    const outbox = makeTempDir('m3shd-outbox-');
    new Outbox(outbox).save({ taskId: task.id, attemptId: claim!.attemptId, status: 'done', output: 'finished before the crash', idempotencyKey: `${claim!.attemptId}-done` });

    const worker = await startWorker(testHub, 'phoenix', ['--runtime', 'command', '--command', 'cat'], {}, { outbox, token: crashed.token });
    await worker.waitForOutput('from the outbox');
    // Delivered first: registering this instance would have released the attempt the result names.
    expect(worker.output().indexOf('from the outbox')).toBeLessThan(worker.output().indexOf('registered with'));
    const done = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: true } });
    expect(done).toMatchObject({ status: 'done', output: 'finished before the crash' });
    expect(done.attemptRecords).toHaveLength(1);
    // The outbox file goes once the report's answer is back, a moment after the commit.
    await until('the outbox emptied', async () => (fs.readdirSync(outbox).length === 0 ? true : undefined));
  }, 60_000);

  it('logs a report it drops: the task, the attempt and the hub reason', async () => {
    const testHub = await hubForTest();
    const earlier = await registerWorker(testHub, { id: 'dropper' });
    const master = testHub.client({ token: testHub.masterToken });
    const task = await master.tasks.create.mutate({ title: 'cancelled meanwhile', prompt: 'x', assignTo: 'dropper' });
    await testHub.hub.dispatcher.settled();
    const [claim] = await earlier.client.tasks.claim.mutate({});
    await master.tasks.cancel.mutate({ taskId: task.id });
    const outbox = makeTempDir('m3shd-outbox-');
    new Outbox(outbox).save({ taskId: task.id, attemptId: claim!.attemptId, status: 'done', output: 'too late', idempotencyKey: `${claim!.attemptId}-done` });

    const worker = await startWorker(testHub, 'dropper', ['--runtime', 'command', '--command', 'cat'], {}, { outbox, token: earlier.token });
    await worker.waitForOutput(`task ${task.id}, attempt ${claim!.attemptId}: dropping its done report, the hub refused it (409 CONFLICT: `);
    expect(fs.readdirSync(outbox)).toEqual([]);
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('cancelled');
  }, 60_000);

  // Needs the hub side of worker instances: register releases the previous instance's attempts, and
  // a claim from a replaced instance is refused with 409.
  it('a restarted worker gets its task back at once, and the replaced process stops and exits 1', async () => {
    const testHub = await hubForTest();
    const token = await agentToken(testHub, 'twin');
    const master = testHub.client({ token: testHub.masterToken });
    const first = await startWorker(testHub, 'twin', ['--runtime', 'command', '--command', "sh -c 'echo working; sleep 60'", '--slots', '2'], {}, { token });
    const task = await master.tasks.create.mutate({ title: 'survives a restart', prompt: 'done by the second' });
    await until('the first instance streaming', async () => (await testHub.hub.db.taskStreamChunk.count({ where: { taskId: task.id } })) > 0);

    // A second process of the same agent (as after a crash whose process lingers, or a double start).
    const second = await startWorker(testHub, 'twin', ['--runtime', 'command', '--command', 'cat'], {}, { token });
    const done = await until('the task done by the second instance, with no sweeper', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id }, include: { attemptRecords: { orderBy: { number: 'asc' } } } });
      return current.status === 'done' ? current : undefined;
    });
    expect(done.output).toBe('done by the second');
    expect(done.attemptRecords.map((attempt) => attempt.status)).toEqual(['stale', 'done']);
    expect((await first.exited()).code).toBe(1);
    expect(first.output()).toContain('another process registered as agent twin and replaced this one (hub: 409');
    expect(second.child.exitCode).toBeNull();
  }, 60_000);
});

describe('a worker in this process, behind a recording proxy', () => {
  it('sends its instance id everywhere, numbers stream chunks, pauses claiming under load and says so, long-polls its claims, and says goodbye', async () => {
    const testHub = await hubForTest();
    const proxy = await startRecordingProxy(testHub.url);
    cleanups.push(() => proxy.close());
    const outbox = makeTempDir('m3shd-outbox-');
    cleanups.push(() => fs.rmSync(outbox, { recursive: true, force: true }));
    const token = await agentToken(testHub, 'gated');
    const flags = ['--hub', proxy.url, '--token', token, '--id', 'gated', '--max-load', '8', '--heartbeat-ms', '100', '--claim-interval-ms', '150', '--stream-flush-ms', '30', '--outbox-dir', outbox];
    const config = parseWorkerConfig(flags, {}) as WorkerConfig;
    let load = 9;
    const lines: string[] = [];
    const worker = new Worker(config, countingRuntime, { log: (line) => lines.push(line), loadAverage: () => load });
    cleanups.push(() => worker.stop());
    await worker.start();
    expect(instanceIdSchema.safeParse(worker.instanceId).success).toBe(true);
    expect(proxy.of('agents.register')[0]!.input).toMatchObject({ id: 'gated', instanceId: worker.instanceId });

    const master = testHub.client({ token: testHub.masterToken });
    const task = await master.tasks.create.mutate({ title: 'gated', prompt: 'count to three' });
    await until('heartbeats while paused', async () => proxy.of('agents.heartbeat').length >= 4);
    const pausedHeartbeats = proxy.of('agents.heartbeat');
    expect(lines.filter((line) => line.includes('claiming'))).toEqual(['load 9 ≥ max-load 8: not claiming']);
    for (const heartbeat of pausedHeartbeats) {
      expect(heartbeat.input).toMatchObject({ agentId: 'gated', instanceId: worker.instanceId, loadAverage: 9, claimingPaused: { reason: 'load 9 ≥ max-load 8' } });
    }
    expect(proxy.of('tasks.claim')).toEqual([]);
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).not.toBe('running');
    // The hub keeps the reason (and assigns the agent nothing meanwhile).
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'gated' } })).claimingPaused).toBe('load 9 ≥ max-load 8');

    load = 1.5;
    const done = await until('the task done once the load dropped', async () => {
      const current = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
      return current.status === 'done' ? current : undefined;
    });
    expect(done.output).toBe('one two three');
    expect(lines.filter((line) => line.includes('claiming'))).toEqual(['load 9 ≥ max-load 8: not claiming', 'load 1.5 < max-load 8: claiming again']);
    expect(proxy.of('agents.heartbeat').slice(pausedHeartbeats.length)[0]!.input).toMatchObject({ instanceId: worker.instanceId, claimingPaused: null });
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'gated' } })).claimingPaused).toBeNull();
    const claims = proxy.of('tasks.claim');
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) expect(claim.input).toMatchObject({ agentId: 'gated', instanceId: worker.instanceId });

    const attemptId = proxy.of('tasks.report')[0]!.input.attemptId as string;
    const streams = proxy.of('tasks.stream');
    expect(streams.length).toBeGreaterThanOrEqual(2);
    expect(streams.map((call) => call.input.idempotencyKey)).toEqual(streams.map((_, index) => `${attemptId}:${index}`));
    expect(proxy.of('tasks.report').map((call) => call.input.idempotencyKey)).toEqual([`${attemptId}-done`]);
    await until('the outbox emptied', async () => (fs.readdirSync(outbox).length === 0 ? true : undefined));

    // Idle with a free slot, the worker keeps a long-poll claim open, and the hub answers that
    // open claim with a task created afterwards (the claim timer is too slow to be the one).
    await until('a long-poll claim waiting at the hub', async () => (testHub.hub.claimWaiters.size === 1 ? true : undefined));
    const createdAt = Date.now();
    const later = await master.tasks.create.mutate({ title: 'while it waits', prompt: 'count to three' });
    await until('the later task done', async () => ((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: later.id } })).status === 'done' ? true : undefined));
    const answeredBy = proxy.of('tasks.claim').find((call) => call.answer?.includes(later.id));
    expect(answeredBy?.input).toMatchObject({ waitMs: 25_000 });
    expect(answeredBy!.sentAt).toBeLessThan(createdAt);

    await worker.stop();
    // Stopping ends the open long poll: nothing is left waiting at the hub.
    expect(testHub.hub.claimWaiters.size).toBe(0);
    expect(proxy.of('agents.goOffline').map((call) => call.input)).toEqual([{ agentId: 'gated', instanceId: worker.instanceId }]);
    expect(lines).toContain('told the hub this agent is going offline');
    expect((await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'gated' } })).status).toBe('offline');
  }, 60_000);
});
