// The hub's one database connection: Prisma (through our driver adapter) and the raw-SQL task
// engine share it. A statement of another request never lands inside an open transaction, a
// repeated statement is prepared once, and a state change and its events commit together.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate';
import { openDatabase } from './client';
import { makeTempDir } from '../../testing/test-hub';
import { createTask, registerWorker } from '../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub | undefined;
afterEach(async () => {
  await testHub?.destroy();
  testHub = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the shared connection', () => {
  it('keeps statements of other requests out of an open interactive transaction', async () => {
    testHub = await startTestHub();
    const { hub } = testHub;
    const master = testHub.client({ token: testHub.masterToken });
    let insideTransaction = false;
    const failing = hub.db
      .$transaction(async (tx) => {
        await tx.contextEntry.create({ data: { key: 'inside', value: 'rolled back', setBy: 'test' } });
        insideTransaction = true;
        await pause(150);
        throw new Error('abort the transaction');
      })
      .catch((error: Error) => error.message);
    while (!insideTransaction) await pause(1);

    // A Prisma statement, a raw task-engine transaction and a full HTTP call all start while the
    // transaction is open; none may finish before it ends, and none is rolled back with it.
    let outsideSettled = false;
    const outside = hub.db.contextEntry.create({ data: { key: 'outside', value: 'kept', setBy: 'test' } }).then((row) => {
      outsideSettled = true;
      return row;
    });
    const created = hub.tasks.createMany({ kind: 'master', via: 'token' }, [{ title: 'raw', prompt: 'raw path', priority: 50 }]);
    const overHttp = master.context.set.mutate({ key: 'over-http', value: 'kept too' });
    await pause(50);
    expect(outsideSettled).toBe(false);

    expect(await failing).toBe('abort the transaction');
    await Promise.all([outside, created, overHttp]);
    const keys = (await hub.db.contextEntry.findMany({ orderBy: { key: 'asc' } })).map((row) => row.key);
    expect(keys).toEqual(['outside', 'over-http']);
    expect(await hub.db.task.count({ where: { title: 'raw' } })).toBe(1);
  });

  it('prepares a repeated statement once, for Prisma and for the raw task engine', async () => {
    testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000000000' } });
    const { hub } = testHub;
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 4 });
    // Warm up every statement the loop below uses.
    const runOne = async (index: number) => {
      await hub.db.agent.findUnique({ where: { id: 'rex' } });
      await createTask(testHub!, { title: `t${index}` });
      const [claimed] = await worker.client.tasks.claim.mutate({ limit: 1 });
      await worker.client.tasks.report.mutate({ taskId: claimed!.taskId, attemptId: claimed!.attemptId, status: 'done', output: 'ok', idempotencyKey: `key-${index}-report` });
    };
    await runOne(0);

    const database = hub.sql.database;
    const prepared: string[] = [];
    const originalPrepare = database.prepare.bind(database);
    database.prepare = ((sql: string) => {
      prepared.push(sql);
      return originalPrepare(sql);
    }) as typeof database.prepare;
    try {
      for (let index = 1; index <= 20; index += 1) await runOne(index);
    } finally {
      database.prepare = originalPrepare;
    }
    expect(prepared).toEqual([]);
    expect(await hub.db.task.count({ where: { status: 'done' } })).toBe(21);
  });

  it('writes a change and its events in one transaction: a failing event leaves neither', async () => {
    testHub = await startTestHub();
    const { hub } = testHub;
    const before = await hub.db.eventLog.count();
    hub.sql.database.exec(`CREATE TEMP TRIGGER refuse_poison BEFORE INSERT ON event_log
      WHEN NEW.type = 'task_created' AND NEW.payload LIKE '%"poison"%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    const tasks = [
      { title: 'first', prompt: 'one', priority: 50 },
      { title: 'second', prompt: 'two', priority: 50 },
      { title: 'poison', prompt: 'three', priority: 50 },
    ];
    await expect(hub.tasks.createMany({ kind: 'master', via: 'token' }, tasks)).rejects.toThrow();
    expect(await hub.db.task.count()).toBe(0);
    expect(await hub.db.eventLog.count()).toBe(before);

    // Without the poisoned one, all of them and their events commit.
    await hub.tasks.createMany({ kind: 'master', via: 'token' }, tasks.slice(0, 2));
    expect(await hub.db.task.count()).toBe(2);
    expect(await hub.db.eventLog.count({ where: { type: 'task_created' } })).toBe(2);
  });
});

describe('WAL checkpoints', () => {
  it('run on the checkpointer thread, not inline in the hub connection’s commits', async () => {
    const directory = makeTempDir();
    const file = path.join(directory, 'wal.db');
    applyMigrations(file, path.resolve('prisma/migrations'));
    const database = await openDatabase(file);
    try {
      expect(database.checkpointer).not.toBeNull();
      expect(database.sql.database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const copied = new Promise<{ frames: number; copied: number }>((resolve) => {
        database.checkpointer!.onCheckpoint((result) => {
          if (result.frames > 0 && result.copied === result.frames) resolve(result);
        });
      });
      for (let index = 0; index < 200; index += 1) {
        await database.prisma.contextEntry.create({ data: { key: `k${index}`, value: 'x'.repeat(2_000), setBy: 'test' } });
      }
      expect((await copied).copied).toBeGreaterThan(0);
    } finally {
      await database.close();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('claims under contention', () => {
  it('gives one assigned task to exactly one of many concurrent claims', async () => {
    testHub = await startTestHub();
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 1 });
    // Two processes of the same agent and an operator acting for it, all claiming at once.
    const twin = testHub.client({ token: worker.token });
    const master = testHub.client({ token: testHub.masterToken, batch: false });
    const task = await createTask(testHub, { title: 'only one' });
    expect(task.assignedTo).toBe('rex');
    const claims = await Promise.all([
      ...Array.from({ length: 10 }, () => worker.client.tasks.claim.mutate({ limit: 4 })),
      ...Array.from({ length: 10 }, () => twin.tasks.claim.mutate({ limit: 4 })),
      ...Array.from({ length: 5 }, () => master.tasks.claim.mutate({ agentId: 'rex', limit: 4 })),
    ]);
    const winners = claims.flat();
    expect(winners).toHaveLength(1);
    expect(winners[0]!.taskId).toBe(task.id);
    const attempts = await testHub.hub.db.taskAttempt.findMany({ where: { taskId: task.id } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.id).toBe(winners[0]!.attemptId);
  });
});
