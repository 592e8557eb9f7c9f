// Spec section 12: a commander watches the mesh. `mesh tail` run with a commander-preset token
// prints events about every agent; with a worker token it prints only its own agent's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSubscribers } from '../../testing/event-collector';
import { runTypeScript } from '../../testing/hub-process';
import { startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;

beforeAll(async () => {
  testHub = await startTestHub();
});

afterAll(async () => {
  await testHub.destroy();
});

async function tailAs(preset: 'commander' | 'worker', agentId: string) {
  const master = testHub.client({ token: testHub.masterToken });
  const { token } = await master.tokens.create.mutate({ agentId, preset });
  const subscribers = testHub.hub.events.stats().subscribers;
  const tail = runTypeScript('daemon/mesh.ts', ['tail', '--types', 'agent_updated'], { MESH_HUB: testHub.url, MESH_TOKEN: token });
  await waitForSubscribers(testHub, subscribers + 1);
  return tail;
}

const agentUpdated = (agentId: string) =>
  testHub.hub.events.publish('agent_updated', { agentId, name: agentId, status: 'busy', activeTasks: 1, maxConcurrent: 2 }, { permission: 'agents:read', agentId });

describe('mesh tail and the stream filter', () => {
  it('shows a commander token every agent’s events, and a worker token only its own', async () => {
    const commander = await tailAs('commander', 'fred-commander');
    const worker = await tailAs('worker', 'rex');
    try {
      await agentUpdated('crucible');
      await agentUpdated('rex');
      await commander.waitForOutput('rex busy', 10_000);
      await worker.waitForOutput('rex busy', 10_000);
    } finally {
      for (const tail of [commander, worker]) tail.child.kill('SIGINT');
      await Promise.all([commander.exited(), worker.exited()]);
    }
    expect(commander.output()).toContain('crucible busy, 1/2 slots busy');
    expect(commander.output()).toContain('rex busy, 1/2 slots busy');
    expect(worker.output()).not.toContain('crucible');
    expect(worker.output()).toContain('rex busy, 1/2 slots busy');
  });
});
