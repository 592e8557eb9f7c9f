// A 3-step pipeline run end to end by a real worker process (the command runtime) against a real
// hub: each step waits for the one before, then runs with the parents' outputs in its prompt.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PARENT_OUTPUTS_HEADER } from '../src/lib/task-graph';
import { collectEvents, waitForSubscribers } from '../src/testing/event-collector';
import { runTypeScript } from '../src/testing/hub-process';
import { makeTempDir, startTestHub } from '../src/testing/test-hub';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a pipeline run by a real worker', () => {
  it('runs research → summarize → notify in order, each step seeing the outputs before it', async () => {
    const testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '100000000' } });
    cleanups.push(() => testHub.destroy());
    const master = testHub.client({ token: testHub.masterToken });
    const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const outbox = makeTempDir('m3shd-outbox-');
    cleanups.push(() => fs.rmSync(outbox, { recursive: true, force: true }));
    // The "model": prints a marker naming the step, then echoes the prompt it was given.
    const worker = runTypeScript(
      'worker/main.ts',
      ['--id', 'rex', '--runtime', 'command', '--command', `sh -c 'echo "[ran by rex]"; cat'`, '--slots', '3', '--max-load', '10000', '--heartbeat-ms', '300', '--claim-interval-ms', '300', '--stream-flush-ms', '50', '--outbox-dir', outbox],
      { MESH_HUB: testHub.url, MESH_TOKEN: token },
    );
    cleanups.push(() => {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    });
    await worker.waitForOutput('registered with');
    const watcher = collectEvents(master);
    cleanups.push(() => watcher.stop());
    await waitForSubscribers(testHub, 2);

    const { pipelineId, taskIds } = await master.pipelines.create.mutate({
      name: 'tides',
      steps: [
        { title: 'Research tides', prompt: 'STEP-ONE: research the tides' },
        { title: 'Summarize tides', prompt: 'STEP-TWO: summarize the research' },
        { title: 'Notify', prompt: 'STEP-THREE: write the notification' },
      ],
    });
    const [research, summarize, notify] = taskIds;
    try {
      await watcher.waitFor('task_completed', (event) => event.payload.taskId === notify, 30_000);
    } catch (error) {
      console.log(worker.output(), worker.errors(), await testHub.hub.db.task.findMany({ select: { status: true, unfinishedParents: true, assignedTo: true } }), await testHub.hub.db.agent.findMany());
      throw error;
    }

    const tasks = await Promise.all(taskIds.map((id) => testHub.hub.db.task.findUniqueOrThrow({ where: { id } })));
    expect(tasks.map((task) => [task.status, task.assignedTo])).toEqual([
      ['done', 'rex'],
      ['done', 'rex'],
      ['done', 'rex'],
    ]);
    // Strictly in sequence: each step started after the one before it was done.
    expect(tasks[1]!.startedAt!.getTime()).toBeGreaterThanOrEqual(tasks[0]!.completedAt!.getTime());
    expect(tasks[2]!.startedAt!.getTime()).toBeGreaterThanOrEqual(tasks[1]!.completedAt!.getTime());

    expect(tasks[0]!.output).toContain('STEP-ONE: research the tides');
    // Step 2's prompt holds step 1's output, labelled with its title; the worker ran that prompt.
    expect(tasks[1]!.prompt.startsWith(PARENT_OUTPUTS_HEADER)).toBe(true);
    expect(tasks[1]!.prompt).toContain(`<<< output of "Research tides" (task ${research})\n[ran by rex]\nSTEP-ONE: research the tides`);
    expect(tasks[1]!.output).toContain(tasks[1]!.prompt);
    // Step 3 sees step 2's output, which carries step 1's.
    expect(tasks[2]!.prompt).toContain(`<<< output of "Summarize tides" (task ${summarize})`);
    expect(tasks[2]!.prompt).toContain('STEP-TWO: summarize the research');
    expect(tasks[2]!.prompt).toContain('STEP-ONE: research the tides');
    expect(tasks[2]!.prompt.endsWith('YOUR TASK:\nSTEP-THREE: write the notification')).toBe(true);

    const ready = watcher.events.filter((event) => event.type === 'task_dependencies_met').map((event) => (event.payload as { taskId: string }).taskId);
    expect(ready).toEqual([summarize, notify]);
    const view = await master.pipelines.get.query({ pipelineId });
    expect(view.state).toBe('done');
  }, 60_000);
});
