// Test helpers for the task engine: workers with their own agent tokens, registered over HTTP.
import type { HubClient } from '../lib/hub-client';
import type { PresetName } from '../lib/permissions';
import type { TestHub } from './test-hub';

export interface TestWorker {
  id: string;
  token: string;
  client: HubClient;
}

export async function registerWorker(
  testHub: TestHub,
  options: { id: string; capabilities?: string[]; maxConcurrent?: number; kind?: 'desktop' | 'mobile' | 'commander'; preset?: PresetName },
): Promise<TestWorker> {
  const master = testHub.client({ token: testHub.masterToken });
  const { token } = await master.tokens.create.mutate({ agentId: options.id, preset: options.preset ?? 'worker' });
  const client = testHub.client({ token });
  await client.agents.register.mutate({
    id: options.id,
    name: options.id,
    machine: 'test',
    kind: options.kind ?? 'desktop',
    capabilities: options.capabilities ?? [],
    maxConcurrent: options.maxConcurrent ?? 1,
  });
  await testHub.hub.dispatcher.settled();
  return { id: options.id, token, client };
}

/** Creates a task as the master and waits for the dispatch it triggers. */
export async function createTask(testHub: TestHub, input: { title?: string; prompt?: string; requiredCapability?: string; assignTo?: string; priority?: number; deadline?: string }) {
  const master = testHub.client({ token: testHub.masterToken });
  const task = await master.tasks.create.mutate({ title: input.title ?? 'a task', prompt: input.prompt ?? 'do the thing', ...input });
  await testHub.hub.dispatcher.settled();
  return testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
}

/** Claims, optionally streams, and reports done. */
export async function runClaimed(worker: TestWorker, output = 'ok') {
  const claimed = await worker.client.tasks.claim.mutate({});
  for (const task of claimed) {
    await worker.client.tasks.report.mutate({ taskId: task.taskId, attemptId: task.attemptId, status: 'done', output, idempotencyKey: `done-${task.attemptId}` });
  }
  return claimed;
}
