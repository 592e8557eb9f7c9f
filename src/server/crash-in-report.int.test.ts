// A hub killed inside a report (after every write, before the commit) loses all of that report:
// after a restart the worker's resend gets the first answer, with one cost row, once.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubClient } from '@/lib/hub-client';
import { runTypeScript, type HubProcess } from '../testing/hub-process';
import { makeTempDir } from '../testing/test-hub';
import { freePort } from '../testing/free-port';

const MASTER = `crash-test-master-${'k'.repeat(40)}`;
const running: HubProcess[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const hub of running.splice(0)) if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});


async function startHub(port: number, env: Record<string, string> = {}): Promise<HubProcess> {
  const hub = runTypeScript('server.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    MESH_DATA_DIR: dataDir!,
    MESH_MASTER_TOKEN: MASTER,
    MESH_UI: 'off',
    ...env,
  });
  running.push(hub);
  await hub.waitForOutput('listening on', 60_000);
  return hub;
}

describe('a hub killed inside a report', () => {
  it('commits none of it; the resend after the restart gets the answer, with one cost row', async () => {
    dataDir = makeTempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await startHub(port, { MESH_TEST_CRASH_POINT: 'report-before-commit' });
    const master = createHubClient({ hubUrl: url, token: MASTER, batch: false });
    await master.tasks.create.mutate({ title: 'to report', prompt: 'work' });
    const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const rex = createHubClient({ hubUrl: url, token, batch: false });
    await rex.agents.register.mutate({ id: 'rex', name: 'rex', maxConcurrent: 2, instanceId: 'crash-instance-1' });
    const claimed = await rex.tasks.claim.mutate({ instanceId: 'crash-instance-1', limit: 2 });
    expect(claimed.length).toBeGreaterThan(0);
    const task = claimed[0]!;
    const report = {
      taskId: task.taskId,
      attemptId: task.attemptId,
      status: 'done' as const,
      output: 'the result',
      usage: { model: 'claude-haiku-4-5', inputTokens: 1_000, outputTokens: 200 },
      idempotencyKey: `report-${task.attemptId}`,
    };
    await expect(rex.tasks.report.mutate(report)).rejects.toThrow();
    expect(await first.exited()).toMatchObject({ signal: 'SIGKILL' });

    const file = path.join(dataDir, 'm3shd.db');
    const peek = () => {
      const database = new Database(file, { readonly: true });
      try {
        return {
          status: (database.prepare('SELECT status FROM tasks WHERE id = ?').pluck().get(task.taskId) as string),
          costs: database.prepare('SELECT COUNT(*) FROM cost_log WHERE task_id = ?').pluck().get(task.taskId) as number,
          keys: database.prepare("SELECT COUNT(*) FROM idempotency_keys WHERE scope = 'tasks.report'").pluck().get() as number,
          completions: database.prepare("SELECT COUNT(*) FROM event_log WHERE type = 'task_completed'").pluck().get() as number,
        };
      } finally {
        database.close();
      }
    };
    expect(peek()).toEqual({ status: 'running', costs: 0, keys: 0, completions: 0 });

    // The worker process survived; the hub comes back and the worker's outbox resends the report.
    await startHub(port);
    const answer = await rex.tasks.report.mutate(report);
    expect(answer).toEqual({ taskId: task.taskId, status: 'done', attempts: 1 });
    expect(await rex.tasks.report.mutate(report)).toEqual(answer);
    expect(peek()).toEqual({ status: 'done', costs: 1, keys: 1, completions: 1 });
  }, 120_000);
});
