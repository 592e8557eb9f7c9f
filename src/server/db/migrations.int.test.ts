// The real migrations on a fresh SQLite file: the migration runner's rules, the pragmas, and every model through Prisma.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFileFromUrl, openDatabase, type Database } from './client';
import { applyMigrations, defaultMigrationsDir, listMigrations } from './migrate';

const migrationsDir = defaultMigrationsDir();
const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-migrations-test-'));

afterAll(() => {
  fs.rmSync(tempRoot, { recursive: true, force: true });
});

/** A private copy of prisma/migrations that a test may change. */
function copyMigrations(): string {
  const copy = fs.mkdtempSync(path.join(tempRoot, 'migrations-'));
  fs.cpSync(migrationsDir, copy, { recursive: true });
  return copy;
}

function addMigration(dir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

function freshDatabaseFile(): string {
  return path.join(fs.mkdtempSync(path.join(tempRoot, 'db-')), 'nested', 'dir', 'm3shd.db');
}

describe('applyMigrations', () => {
  it('creates the file and its directory, applies every migration once, and records them like Prisma', () => {
    const file = freshDatabaseFile();
    const lines: string[] = [];
    const first = applyMigrations(file, migrationsDir, (line) => lines.push(line));
    const names = listMigrations(migrationsDir).map((migration) => migration.name);
    expect(names.length).toBeGreaterThan(0);
    expect(first.applied).toEqual(names);
    expect(lines).toEqual(names.map((name) => `applied migration ${name}`));

    expect(applyMigrations(file, migrationsDir).applied).toEqual([]);

    const database = new Sqlite(file, { readonly: true });
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      const columns = database.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(\'_prisma_migrations\')').all();
      expect(columns).toEqual([
        { name: 'id', type: 'TEXT', notnull: 1, pk: 1 },
        { name: 'checksum', type: 'TEXT', notnull: 1, pk: 0 },
        { name: 'finished_at', type: 'DATETIME', notnull: 0, pk: 0 },
        { name: 'migration_name', type: 'TEXT', notnull: 1, pk: 0 },
        { name: 'logs', type: 'TEXT', notnull: 0, pk: 0 },
        { name: 'rolled_back_at', type: 'DATETIME', notnull: 0, pk: 0 },
        { name: 'started_at', type: 'DATETIME', notnull: 1, pk: 0 },
        { name: 'applied_steps_count', type: 'INTEGER UNSIGNED', notnull: 1, pk: 0 },
      ]);
      const rows = database.prepare('SELECT * FROM _prisma_migrations ORDER BY started_at').all() as Record<string, unknown>[];
      expect(rows.map((row) => row.migration_name)).toEqual(names);
      for (const [index, migration] of listMigrations(migrationsDir).entries()) {
        expect(rows[index]).toMatchObject({ checksum: migration.checksum, applied_steps_count: 1, rolled_back_at: null, logs: null });
        expect(rows[index]?.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(typeof rows[index]?.finished_at).toBe('number');
      }
    } finally {
      database.close();
    }
  });

  it('refuses a migration whose file changed after it was applied, but not a line-ending change', () => {
    const dir = copyMigrations();
    const file = freshDatabaseFile();
    applyMigrations(file, dir);
    const first = listMigrations(dir)[0];
    if (!first) throw new Error('no migrations');
    const sqlFile = path.join(dir, first.name, 'migration.sql');

    fs.writeFileSync(sqlFile, first.sql.replaceAll('\n', '\r\n'));
    expect(applyMigrations(file, dir).applied).toEqual([]);

    fs.writeFileSync(sqlFile, `${first.sql}\nCREATE TABLE sneaky (id TEXT);\n`);
    expect(() => applyMigrations(file, dir)).toThrow(new RegExp(`migration "${first.name}" was modified after it was applied \\(checksum mismatch\\)`));
  });

  it('refuses when an applied migration folder is missing', () => {
    const dir = copyMigrations();
    const file = freshDatabaseFile();
    addMigration(dir, '29990101000000_extra', 'CREATE TABLE "extra" ("id" TEXT NOT NULL PRIMARY KEY);\n');
    applyMigrations(file, dir);
    fs.rmSync(path.join(dir, '29990101000000_extra'), { recursive: true });
    expect(() => applyMigrations(file, dir)).toThrow(/migration "29990101000000_extra" is applied to the database but its folder is missing/);
  });

  it('rolls a failing migration back whole, records nothing, and keeps its SQL out of the message', () => {
    const dir = copyMigrations();
    const file = freshDatabaseFile();
    applyMigrations(file, dir);
    addMigration(dir, '29990101000000_broken', 'CREATE TABLE "half_done" ("id" TEXT);\nCRATE TABLE oops (id TEXT);\n');

    let message = '';
    try {
      applyMigrations(file, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^migration "29990101000000_broken" failed \(SQLITE_ERROR\); nothing of it was applied$/);
    expect(message).not.toMatch(/CRATE|half_done|oops/);

    const database = new Sqlite(file, { readonly: true });
    try {
      expect(database.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
      expect(database.prepare("SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'").get()).toBeUndefined();
    } finally {
      database.close();
    }
  });

  it('runs table redefinitions with foreign keys off, so child rows survive, and checks keys before commit', () => {
    const dir = copyMigrations();
    const file = freshDatabaseFile();
    applyMigrations(file, dir);
    const seed = new Sqlite(file);
    seed.exec(`INSERT INTO entities (id, name, type) VALUES ('e1', 'a', 't'), ('e2', 'b', 't');
      INSERT INTO entity_relations (id, from_entity_id, to_entity_id, relation_type) VALUES ('r1', 'e1', 'e2', 'uses');`);
    seed.close();

    // The shape Prisma generates when SQLite cannot ALTER a table in place.
    addMigration(
      dir,
      '29990101000000_redefine_entities',
      `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_entities" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '', "source_task_id" TEXT, "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "note" TEXT NOT NULL DEFAULT '');
INSERT INTO "new_entities" ("id", "name", "type", "description", "source_task_id", "created_at")
  SELECT "id", "name", "type", "description", "source_task_id", "created_at" FROM "entities";
DROP TABLE "entities";
ALTER TABLE "new_entities" RENAME TO "entities";
CREATE UNIQUE INDEX "entities_name_type_key" ON "entities"("name", "type");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    expect(applyMigrations(file, dir).applied).toEqual(['29990101000000_redefine_entities']);
    const database = new Sqlite(file, { readonly: true });
    expect(database.prepare('SELECT count(*) AS n FROM entity_relations').get()).toEqual({ n: 1 });
    database.close();

    addMigration(dir, '29990102000000_dangling', "INSERT INTO entity_relations (id, from_entity_id, to_entity_id, relation_type) VALUES ('r2', 'e1', 'gone', 'uses');\n");
    expect(() => applyMigrations(file, dir)).toThrow(/migration "29990102000000_dangling" leaves rows that break foreign keys \(in entity_relations\)/);
  });

  it('refuses a database that has tables but no migration history', () => {
    const file = freshDatabaseFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const database = new Sqlite(file);
    database.exec('CREATE TABLE users (id TEXT PRIMARY KEY)');
    database.close();
    expect(() => applyMigrations(file, migrationsDir)).toThrow(/already has tables but no migration history/);
  });
});

describe('databaseFileFromUrl', () => {
  it('resolves file: URLs to absolute paths', () => {
    expect(databaseFileFromUrl('file:./data/x.db')).toBe(path.resolve(process.cwd(), 'data/x.db'));
    expect(databaseFileFromUrl('file:/abs/x.db')).toBe('/abs/x.db');
    expect(databaseFileFromUrl('file:///abs/x.db?mode=rwc')).toBe('/abs/x.db');
  });

  it('rejects other schemes without echoing the URL', () => {
    expect(() => databaseFileFromUrl('postgresql://hub:secret@db/m3shd')).toThrow(/only SQLite "file:" URLs/);
    expect(() => databaseFileFromUrl('postgresql://hub:secret@db/m3shd')).not.toThrow(/secret/);
    expect(() => databaseFileFromUrl('file:')).toThrow(/names no file/);
  });
});

describe('openDatabase', () => {
  it('refuses a file that does not exist instead of creating an empty database', async () => {
    const file = freshDatabaseFile();
    await expect(openDatabase(file)).rejects.toThrow(/database file not found.*apply the migrations first/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the migrated schema through Prisma', () => {
  let db: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const file = freshDatabaseFile();
    applyMigrations(file, migrationsDir);
    ({ prisma: db, close } = await openDatabase(file));
    // Rows the per-model cases point at.
    await db.agent.create({ data: { id: 'agent-a', name: 'Agent A' } });
    await db.user.create({ data: { id: 'user-a', username: 'alice', passwordHash: 'x', role: 'admin' } });
    await db.task.create({ data: { id: 'task-a', title: 'A', prompt: 'do a', createdBy: 'user-a' } });
    await db.task.create({ data: { id: 'task-b', title: 'B', prompt: 'do b', createdBy: 'user-a' } });
    await db.entity.create({ data: { id: 'entity-a', name: 'a', type: 'service' } });
    await db.entity.create({ data: { id: 'entity-b', name: 'b', type: 'service' } });
  });

  afterAll(async () => {
    await close?.();
  });

  it('has the connection pragmas the hub relies on', async () => {
    const pragma = async (name: string) => Object.values((await db.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0] ?? {})[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(Number(await pragma('foreign_keys'))).toBe(1);
    expect(Number(await pragma('busy_timeout'))).toBe(5000);
    expect(Number(await pragma('synchronous'))).toBe(1);
  });

  interface CrudCase {
    model: string;
    create(): Promise<object>;
    read(): Promise<object | null>;
    update(): Promise<object>;
    updated: Record<string, unknown>;
    remove(): Promise<unknown>;
  }

  const later = new Date('2030-01-02T03:04:05.000Z');
  const cases: CrudCase[] = [
    {
      model: 'User',
      create: () => db.user.create({ data: { id: 'u1', username: 'bob', passwordHash: 'h', role: 'user' } }),
      read: () => db.user.findUnique({ where: { username: 'bob' } }),
      update: () => db.user.update({ where: { id: 'u1' }, data: { role: 'viewer', disabled: true, passwordChangedAt: later } }),
      updated: { role: 'viewer', disabled: true, passwordChangedAt: later },
      remove: () => db.user.delete({ where: { id: 'u1' } }),
    },
    {
      model: 'Session',
      create: () => db.session.create({ data: { id: 's1', kind: 'user', userId: 'user-a', expiresAt: later } }),
      read: () => db.session.findUnique({ where: { id: 's1' }, include: { user: true } }),
      update: () => db.session.update({ where: { id: 's1' }, data: { revokedAt: later } }),
      updated: { revokedAt: later },
      remove: () => db.session.delete({ where: { id: 's1' } }),
    },
    {
      model: 'Agent',
      create: () => db.agent.create({ data: { id: 'agent-x', name: 'X', kind: 'mobile', maxConcurrent: 2 } }),
      read: () => db.agent.findUnique({ where: { id: 'agent-x' } }),
      update: () => db.agent.update({ where: { id: 'agent-x' }, data: { status: 'busy', activeTasks: 1, loadAverage: 0.5 } }),
      updated: { status: 'busy', activeTasks: 1, loadAverage: 0.5 },
      remove: () => db.agent.delete({ where: { id: 'agent-x' } }),
    },
    {
      model: 'AgentCapability',
      create: () => db.agentCapability.create({ data: { agentId: 'agent-a', capability: 'code' } }),
      read: () => db.agentCapability.findFirst({ where: { agentId: 'agent-a' } }),
      update: () => db.agentCapability.update({ where: { agentId_capability: { agentId: 'agent-a', capability: 'code' } }, data: { capability: 'review' } }),
      updated: { capability: 'review' },
      remove: () => db.agentCapability.delete({ where: { agentId_capability: { agentId: 'agent-a', capability: 'review' } } }),
    },
    {
      model: 'AgentToken',
      create: () => db.agentToken.create({ data: { id: 'at1', tokenHash: 'th1', agentId: 'not-registered-yet', permissions: '[]', createdBy: 'user-a' } }),
      read: () => db.agentToken.findUnique({ where: { tokenHash: 'th1' } }),
      update: () => db.agentToken.update({ where: { id: 'at1' }, data: { preset: 'worker', lastUsedAt: later } }),
      updated: { preset: 'worker', lastUsedAt: later },
      remove: () => db.agentToken.delete({ where: { id: 'at1' } }),
    },
    {
      model: 'ApiKey',
      create: () => db.apiKey.create({ data: { id: 'k1', keyHash: 'kh1', name: 'ci', createdBy: 'user-a' } }),
      read: () => db.apiKey.findUnique({ where: { keyHash: 'kh1' } }),
      update: () => db.apiKey.update({ where: { id: 'k1' }, data: { usageToday: { increment: 3 }, usageDay: '2030-01-02' } }),
      updated: { usageToday: 3, usageDay: '2030-01-02', rateLimitPerMinute: 60, dailyCap: 1000 },
      remove: () => db.apiKey.delete({ where: { id: 'k1' } }),
    },
    {
      model: 'Task',
      create: () => db.task.create({ data: { id: 't1', title: 'T', prompt: 'p', createdBy: 'user-a', assignedTo: 'agent-a', urgency: 'high' } }),
      read: () => db.task.findUnique({ where: { id: 't1' }, include: { assignee: true } }),
      update: () => db.task.update({ where: { id: 't1' }, data: { status: 'done', attempts: 1, confidence: 0.9, completedAt: later, output: 'ok' } }),
      updated: { status: 'done', attempts: 1, confidence: 0.9, completedAt: later, output: 'ok' },
      remove: () => db.task.delete({ where: { id: 't1' } }),
    },
    {
      model: 'TaskAttempt',
      create: () => db.taskAttempt.create({ data: { id: 'ta1', taskId: 'task-a', agentId: 'agent-a', number: 1 } }),
      read: () => db.taskAttempt.findUnique({ where: { taskId_number: { taskId: 'task-a', number: 1 } } }),
      update: () => db.taskAttempt.update({ where: { id: 'ta1' }, data: { status: 'handed_off', endedAt: later } }),
      updated: { status: 'handed_off', endedAt: later },
      remove: () => db.taskAttempt.delete({ where: { id: 'ta1' } }),
    },
    {
      model: 'TaskStreamChunk',
      create: () => db.taskStreamChunk.create({ data: { taskId: 'task-a', attemptId: 'ta-any', content: 'hello', bytes: 5 } }),
      read: () => db.taskStreamChunk.findFirst({ where: { taskId: 'task-a' } }),
      update: () => db.taskStreamChunk.updateManyAndReturn({ where: { taskId: 'task-a' }, data: { content: 'hello!', bytes: 6 } }).then((rows) => rows[0] ?? {}),
      updated: { content: 'hello!', bytes: 6 },
      remove: () => db.taskStreamChunk.deleteMany({ where: { taskId: 'task-a' } }),
    },
    {
      model: 'TaskDep',
      create: () => db.taskDep.create({ data: { parentTaskId: 'task-a', childTaskId: 'task-b' } }),
      read: () => db.taskDep.findFirst({ where: { parentTaskId: { in: ['task-a', 'task-b'] } }, include: { child: true } }),
      update: () => db.taskDep.update({ where: { parentTaskId_childTaskId: { parentTaskId: 'task-a', childTaskId: 'task-b' } }, data: { parentTaskId: 'task-b', childTaskId: 'task-a' } }),
      updated: { parentTaskId: 'task-b', childTaskId: 'task-a' },
      remove: () => db.taskDep.delete({ where: { parentTaskId_childTaskId: { parentTaskId: 'task-b', childTaskId: 'task-a' } } }),
    },
    {
      model: 'TaskTemplate',
      create: () => db.taskTemplate.create({ data: { id: 'tt1', name: 'review', promptTemplate: 'Review {{x}}', createdBy: 'user-a' } }),
      read: () => db.taskTemplate.findUnique({ where: { name: 'review' } }),
      update: () => db.taskTemplate.update({ where: { id: 'tt1' }, data: { capability: 'review', priority: 5 } }),
      updated: { capability: 'review', priority: 5 },
      remove: () => db.taskTemplate.delete({ where: { id: 'tt1' } }),
    },
    {
      model: 'Pipeline',
      create: () => db.pipeline.create({ data: { id: 'pl1', name: 'chain', createdBy: 'user-a' } }),
      read: () => db.pipeline.findUnique({ where: { id: 'pl1' } }),
      update: () => db.pipeline.update({ where: { id: 'pl1' }, data: { name: 'renamed' } }),
      updated: { name: 'renamed' },
      remove: () => db.pipeline.delete({ where: { id: 'pl1' } }),
    },
    {
      model: 'PipelineStep',
      create: async () => {
        await db.pipeline.create({ data: { id: 'pl2', name: 'chain', createdBy: 'user-a' } });
        return db.pipelineStep.create({ data: { pipelineId: 'pl2', position: 0, taskId: 'step-task' } });
      },
      read: () => db.pipelineStep.findUnique({ where: { taskId: 'step-task' } }),
      update: () => db.pipelineStep.update({ where: { taskId: 'step-task' }, data: { position: 1 } }),
      updated: { position: 1 },
      remove: () => db.pipeline.delete({ where: { id: 'pl2' } }),
    },
    {
      model: 'Approval',
      create: () => db.approval.create({ data: { id: 'ap1', agentId: 'agent-a', action: 'deploy', timeoutSeconds: 300, expiresAt: later } }),
      read: () => db.approval.findUnique({ where: { id: 'ap1' } }),
      update: () => db.approval.update({ where: { id: 'ap1' }, data: { status: 'approved', decidedBy: 'user-a', decidedAt: later } }),
      updated: { status: 'approved', decidedBy: 'user-a', decidedAt: later, timeoutSeconds: 300 },
      remove: () => db.approval.delete({ where: { id: 'ap1' } }),
    },
    {
      model: 'ContextEntry',
      create: () => db.contextEntry.create({ data: { key: 'goal', value: 'ship', setBy: 'user-a' } }),
      read: () => db.contextEntry.findUnique({ where: { key: 'goal' } }),
      update: () => db.contextEntry.update({ where: { key: 'goal' }, data: { value: 'ship it' } }),
      updated: { value: 'ship it' },
      remove: () => db.contextEntry.delete({ where: { key: 'goal' } }),
    },
    {
      model: 'CostLog',
      create: () => db.costLog.create({ data: { id: 'c1', agentId: 'agent-a', taskId: 'task-a', inputTokens: 10, outputTokens: 20, model: 'm', costUsd: 0.01 } }),
      read: () => db.costLog.findUnique({ where: { id: 'c1' }, include: { task: true } }),
      update: () => db.costLog.update({ where: { id: 'c1' }, data: { costSource: 'reported', costUsd: 0.02 } }),
      updated: { costSource: 'reported', costUsd: 0.02 },
      remove: () => db.costLog.delete({ where: { id: 'c1' } }),
    },
    {
      model: 'Escalation',
      create: () => db.escalation.create({ data: { id: 'es1', fromAgent: 'agent-a', toAgent: 'commander', reason: 'stuck' } }),
      read: () => db.escalation.findUnique({ where: { id: 'es1' } }),
      update: () => db.escalation.update({ where: { id: 'es1' }, data: { status: 'acknowledged' } }),
      updated: { status: 'acknowledged' },
      remove: () => db.escalation.delete({ where: { id: 'es1' } }),
    },
    {
      model: 'AgentMemory',
      create: () => db.agentMemory.create({ data: { id: 'm1', agentId: 'agent-a', key: 'k', value: 'ciphertext' } }),
      read: () => db.agentMemory.findUnique({ where: { agentId_key: { agentId: 'agent-a', key: 'k' } } }),
      update: () => db.agentMemory.update({ where: { id: 'm1' }, data: { value: 'ciphertext-2', source: 'user' } }),
      updated: { value: 'ciphertext-2', source: 'user' },
      remove: () => db.agentMemory.delete({ where: { id: 'm1' } }),
    },
    {
      model: 'MemoryIndexTerm',
      create: () => db.memoryIndexTerm.create({ data: { token: 'a1b2c3', docs: 1 } }),
      read: () => db.memoryIndexTerm.findUnique({ where: { token: 'a1b2c3' } }),
      update: () => db.memoryIndexTerm.update({ where: { token: 'a1b2c3' }, data: { docs: 2 } }),
      updated: { docs: 2 },
      remove: () => db.memoryIndexTerm.delete({ where: { token: 'a1b2c3' } }),
    },
    {
      model: 'TaskAttemptMemory',
      create: () => db.taskAttemptMemory.create({ data: { attemptId: 'att-1', taskId: 'task-a', agentId: 'agent-a', memoryKey: 'k', position: 0 } }),
      read: () => db.taskAttemptMemory.findUnique({ where: { attemptId_position: { attemptId: 'att-1', position: 0 } } }),
      update: () => db.taskAttemptMemory.update({ where: { attemptId_position: { attemptId: 'att-1', position: 0 } }, data: { memoryKey: 'k2' } }),
      updated: { memoryKey: 'k2' },
      remove: () => db.taskAttemptMemory.delete({ where: { attemptId_position: { attemptId: 'att-1', position: 0 } } }),
    },
    {
      model: 'MemoryConsolidation',
      create: () => db.memoryConsolidation.create({ data: { id: 'mc1', runId: 'run-1', agentId: 'agent-a', action: 'merged_duplicate', keptKey: 'k', summary: 's', replaced: 'ciphertext' } }),
      read: () => db.memoryConsolidation.findUnique({ where: { id: 'mc1' } }),
      update: () => db.memoryConsolidation.update({ where: { id: 'mc1' }, data: { summary: 's2' } }),
      updated: { summary: 's2' },
      remove: () => db.memoryConsolidation.delete({ where: { id: 'mc1' } }),
    },
    {
      model: 'PluginState',
      create: () => db.pluginState.create({ data: { name: 'web_search', updatedAt: new Date() } }),
      read: () => db.pluginState.findUnique({ where: { name: 'web_search' } }),
      update: () => db.pluginState.update({ where: { name: 'web_search' }, data: { enabled: false, invocations: { increment: 1 } } }),
      updated: { enabled: false, invocations: 1 },
      remove: () => db.pluginState.delete({ where: { name: 'web_search' } }),
    },
    {
      model: 'Webhook',
      create: () => db.webhook.create({ data: { id: 'w1', name: 'ops', secret: 'enc' } }),
      read: () => db.webhook.findUnique({ where: { id: 'w1' } }),
      update: () => db.webhook.update({ where: { id: 'w1' }, data: { url: 'https://example.test/hook', eventFilter: 'task.*' } }),
      updated: { url: 'https://example.test/hook', eventFilter: 'task.*' },
      remove: () => db.webhook.delete({ where: { id: 'w1' } }),
    },
    {
      model: 'WebhookDelivery',
      create: () =>
        db.webhookDelivery.create({
          data: { id: 'wd1', receivedAt: new Date('2026-01-01T00:00:00Z'), source: 'github', outcome: 'accepted', status: 202, webhook: { create: { id: 'w-deliveries', name: 'gh', secret: 'enc' } } },
          omit: { webhookId: true },
        }),
      read: () => db.webhookDelivery.findUnique({ where: { id: 'wd1' }, omit: { webhookId: true } }),
      update: () => db.webhookDelivery.update({ where: { id: 'wd1' }, data: { outcome: 'failed', status: 422 } }),
      updated: { outcome: 'failed', status: 422 },
      remove: () => db.webhookDelivery.delete({ where: { id: 'wd1' } }),
    },
    {
      model: 'PeerHub',
      create: () => db.peerHub.create({ data: { id: 'p1', url: 'https://peer.test', token: 'enc' } }),
      read: () => db.peerHub.findUnique({ where: { url: 'https://peer.test' } }),
      update: () => db.peerHub.update({ where: { id: 'p1' }, data: { status: 'unreachable', relayCount: { increment: 1 } } }),
      updated: { status: 'unreachable', relayCount: 1 },
      remove: () => db.peerHub.delete({ where: { id: 'p1' } }),
    },
    {
      model: 'Entity',
      create: () => db.entity.create({ data: { id: 'en1', name: 'db', type: 'service' } }),
      read: () => db.entity.findUnique({ where: { name_type: { name: 'db', type: 'service' } } }),
      update: () => db.entity.update({ where: { id: 'en1' }, data: { description: 'the database', sourceTaskId: 'task-a' } }),
      updated: { description: 'the database', sourceTaskId: 'task-a' },
      remove: () => db.entity.delete({ where: { id: 'en1' } }),
    },
    {
      model: 'EntityRelation',
      create: () => db.entityRelation.create({ data: { id: 'er1', fromEntityId: 'entity-a', toEntityId: 'entity-b', relationType: 'calls' } }),
      read: () => db.entityRelation.findUnique({ where: { id: 'er1' }, include: { from: true, to: true } }),
      update: () => db.entityRelation.update({ where: { id: 'er1' }, data: { weight: 2.5 } }),
      updated: { weight: 2.5 },
      remove: () => db.entityRelation.delete({ where: { id: 'er1' } }),
    },
    {
      model: 'Message',
      create: () => db.message.create({ data: { id: 'msg1', sender: 'user-a', senderType: 'user', content: 'hi' } }),
      read: () => db.message.findUnique({ where: { id: 'msg1' } }),
      update: () => db.message.update({ where: { id: 'msg1' }, data: { content: 'hi all', replyTo: 'msg0' } }),
      updated: { content: 'hi all', replyTo: 'msg0', channel: 'general' },
      remove: () => db.message.delete({ where: { id: 'msg1' } }),
    },
    {
      model: 'EventLog',
      create: () => db.eventLog.create({ data: { type: 'task.created', ts: later, permission: 'tasks.read', payload: '{}' } }),
      read: () => db.eventLog.findFirst({ where: { type: 'task.created' } }),
      update: () => db.eventLog.updateManyAndReturn({ where: { type: 'task.created' }, data: { agentId: 'agent-a' } }).then((rows) => rows[0] ?? {}),
      updated: { agentId: 'agent-a', ts: later },
      remove: () => db.eventLog.deleteMany({ where: { type: 'task.created' } }),
    },
    {
      model: 'BreakerState',
      create: () => db.breakerState.create({ data: { agentId: 'agent-a' } }),
      read: () => db.breakerState.findUnique({ where: { agentId: 'agent-a' }, include: { agent: true } }),
      update: () => db.breakerState.update({ where: { agentId: 'agent-a' }, data: { state: 'half_open', consecutiveFailures: 3, openedAt: later, probeTaskId: 'task-a' } }),
      updated: { state: 'half_open', consecutiveFailures: 3, openedAt: later, probeTaskId: 'task-a' },
      remove: () => db.breakerState.delete({ where: { agentId: 'agent-a' } }),
    },
    {
      model: 'CapabilityOutcome',
      create: () => db.capabilityOutcome.create({ data: { agentId: 'agent-a', capability: 'code' } }),
      read: () => db.capabilityOutcome.findUnique({ where: { agentId_capability: { agentId: 'agent-a', capability: 'code' } } }),
      update: () =>
        db.capabilityOutcome.update({ where: { agentId_capability: { agentId: 'agent-a', capability: 'code' } }, data: { successes: { increment: 2 }, failures: 1 } }),
      updated: { successes: 2, failures: 1 },
      remove: () => db.capabilityOutcome.delete({ where: { agentId_capability: { agentId: 'agent-a', capability: 'code' } } }),
    },
    {
      model: 'AgentStatusChange',
      create: () => db.agentStatusChange.create({ data: { id: 'sc1', agentId: 'agent-a', status: 'online', at: later } }),
      read: () => db.agentStatusChange.findUnique({ where: { id: 'sc1' } }),
      update: () => db.agentStatusChange.update({ where: { id: 'sc1' }, data: { status: 'offline' } }),
      updated: { status: 'offline', at: later },
      remove: () => db.agentStatusChange.delete({ where: { id: 'sc1' } }),
    },
    {
      model: 'AlertSent',
      create: () => db.alertSent.create({ data: { id: 'al1', kind: 'agent_down', dedupKey: 'agent-a', sentAt: later } }),
      read: () => db.alertSent.findUnique({ where: { kind_dedupKey: { kind: 'agent_down', dedupKey: 'agent-a' } } }),
      update: () => db.alertSent.update({ where: { id: 'al1' }, data: { clearedAt: later } }),
      updated: { clearedAt: later },
      remove: () => db.alertSent.delete({ where: { id: 'al1' } }),
    },
    {
      model: 'IdempotencyKey',
      create: () => db.idempotencyKey.create({ data: { key: 'report:1', scope: 'worker', response: '{"ok":true}' } }),
      read: () => db.idempotencyKey.findUnique({ where: { key: 'report:1' } }),
      update: () => db.idempotencyKey.update({ where: { key: 'report:1' }, data: { response: '{"ok":false}' } }),
      updated: { response: '{"ok":false}' },
      remove: () => db.idempotencyKey.delete({ where: { key: 'report:1' } }),
    },
  ];

  it('covers every model of the schema', () => {
    const schema = fs.readFileSync(path.resolve(process.cwd(), 'prisma/schema.prisma'), 'utf8');
    const models = Array.from(schema.matchAll(/^model (\w+) \{/gm), (match) => match[1]);
    expect(cases.map((entry) => entry.model).sort()).toEqual(models.sort());
  });

  it.each(cases.map((entry) => [entry.model, entry] as const))('creates, reads, updates and deletes %s', async (_model, entry) => {
    const created = await entry.create();
    const read = await entry.read();
    expect(read).toMatchObject(created);
    const updated = await entry.update();
    expect(updated).toMatchObject(entry.updated);
    expect(await entry.read()).toMatchObject(entry.updated);
    await entry.remove();
    expect(await entry.read()).toBeNull();
  });

  it('cascades a task delete to its attempts, stream chunks and dependencies, and unlinks its costs', async () => {
    await db.task.create({ data: { id: 'doomed', title: 'D', prompt: 'p', createdBy: 'user-a' } });
    await db.taskAttempt.create({ data: { id: 'doomed-1', taskId: 'doomed', agentId: 'agent-a', number: 1 } });
    await db.taskStreamChunk.create({ data: { taskId: 'doomed', attemptId: 'doomed-1', content: 'x', bytes: 1 } });
    await db.taskDep.createMany({
      data: [
        { parentTaskId: 'doomed', childTaskId: 'task-a' },
        { parentTaskId: 'task-b', childTaskId: 'doomed' },
      ],
    });
    await db.costLog.create({ data: { id: 'doomed-cost', agentId: 'agent-a', taskId: 'doomed', inputTokens: 1, outputTokens: 1, model: 'm', costUsd: 0 } });

    await db.task.delete({ where: { id: 'doomed' } });

    expect(await db.taskAttempt.count({ where: { taskId: 'doomed' } })).toBe(0);
    expect(await db.taskStreamChunk.count({ where: { taskId: 'doomed' } })).toBe(0);
    expect(await db.taskDep.count({ where: { OR: [{ parentTaskId: 'doomed' }, { childTaskId: 'doomed' }] } })).toBe(0);
    expect(await db.costLog.findUnique({ where: { id: 'doomed-cost' } })).toMatchObject({ taskId: null });
    await db.costLog.delete({ where: { id: 'doomed-cost' } });
  });

  it('rejects values outside the CHECK constraints', async () => {
    await expect(db.task.create({ data: { id: 'bad', title: 'B', prompt: 'p', createdBy: 'user-a', status: 'bogus' } })).rejects.toThrow(/tasks_status_check/);
    await expect(db.task.update({ where: { id: 'task-a' }, data: { urgency: 'whenever' } })).rejects.toThrow(/tasks_urgency_check/);
    await expect(db.task.update({ where: { id: 'task-a' }, data: { confidence: 1.5 } })).rejects.toThrow(/tasks_confidence_check/);
    await expect(db.task.update({ where: { id: 'task-a' }, data: { attempts: -1 } })).rejects.toThrow(/tasks_attempts_check/);
    await expect(db.agent.update({ where: { id: 'agent-a' }, data: { activeTasks: -1 } })).rejects.toThrow(/agents_active_tasks_check/);
    await expect(db.user.create({ data: { id: 'bad', username: 'bad', passwordHash: 'h', role: 'root' } })).rejects.toThrow(/users_role_check/);
    await expect(db.breakerState.create({ data: { agentId: 'agent-a', state: 'ajar' } })).rejects.toThrow(/breaker_state_state_check/);
    expect(await db.task.findUnique({ where: { id: 'bad' } })).toBeNull();
  });

  it('rejects an attempt for a task that does not exist', async () => {
    await expect(db.taskAttempt.create({ data: { id: 'orphan', taskId: 'no-such-task', agentId: 'agent-a', number: 1 } })).rejects.toMatchObject({
      code: 'P2003',
    });
  });

  it('keeps the memory search index as a blind FTS5 table of tokens, ranked by BM25', async () => {
    // The hub writes HMAC tokens here (src/server/memory/blind-index.ts); the table itself is plain FTS5.
    await db.$executeRaw`INSERT INTO agent_memory_index (rowid, tokens) VALUES (1, 'a1b2 c3d4 c3d4'), (2, 'a1b2 e5f6')`;
    const rows = await db.$queryRaw<{ rowid: bigint }[]>`
      SELECT rowid FROM agent_memory_index WHERE agent_memory_index MATCH ${'"c3d4" OR "a1b2"'} ORDER BY rank`;
    expect(rows.map((row) => Number(row.rowid))).toEqual([1, 2]);
    const tables = await db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE name = 'agent_memory_fts'`;
    expect(tables).toEqual([]);
  });
});
