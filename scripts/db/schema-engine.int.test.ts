// Guards that prisma/schema.prisma and prisma/migrations agree, and pins the wasm schema engine behaviour the scripts rely on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir } from '../../src/server/db/migrate';
import { createMigration, migrationFolderName, pendingSchemaSql, redefinedTablesWithChecks } from './new-migration';
import { diffToSql, PINNED_ENGINE_VERSION, schemaEngineVersion } from './schema-engine';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
const schemaText = fs.readFileSync(schemaPath, 'utf8');
const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-schema-engine-test-'));
const scratchFile = path.join(tempRoot, 'scratch.db');

beforeAll(() => {
  applyMigrations(scratchFile, defaultMigrationsDir(projectRoot));
});

afterAll(() => {
  fs.rmSync(tempRoot, { recursive: true, force: true });
});

/** The schema with one model's body changed. */
function editModel(model: string, edit: (body: string) => string): string {
  const pattern = new RegExp(`(model ${model} \\{\\n)([\\s\\S]*?)(\\n\\})`);
  if (!pattern.test(schemaText)) throw new Error(`model ${model} not found`);
  return schemaText.replace(pattern, (_all, head: string, body: string, tail: string) => head + edit(body) + tail);
}

describe('schema and migrations', () => {
  it('agree: every schema change comes with a migration (npm run db:migration -- <name>)', async () => {
    const pending = await pendingSchemaSql(projectRoot);
    pending.cleanup();
    expect(pending.sql, 'prisma/schema.prisma has changes no migration creates; run `npm run db:migration -- <name>`').toBe('');
  });
});

describe('the pinned wasm schema engine', () => {
  it('is the build the scripts were written against', async () => {
    expect(await schemaEngineVersion()).toBe(PINNED_ENGINE_VERSION);
  });

  it('renders the full schema from an empty database', async () => {
    const sql = await diffToSql({ fromEmpty: true, schemaText });
    expect(sql).toContain('CREATE TABLE "tasks" (');
    expect(sql).toContain('CREATE UNIQUE INDEX "users_username_key" ON "users"("username");');
  });

  it('renders an added column as an ALTER TABLE and leaves the FTS5 tables alone', async () => {
    const changed = editModel('IdempotencyKey', (body) => `${body}\n  note      String?`);
    const sql = await diffToSql({ fromDatabaseFile: scratchFile, schemaText: changed });
    expect(sql).toContain('ALTER TABLE "idempotency_keys" ADD COLUMN "note" TEXT;');
    expect(sql).not.toMatch(/agent_memory_(fts|index)/);
  });

  it('reports schema errors', async () => {
    await expect(diffToSql({ fromEmpty: true, schemaText: `${schemaText}\nmodel Broken {\n  id Int\n}\n` })).rejects.toThrow(/schema engine diff failed: .*Broken/s);
  });
});

describe('new-migration', () => {
  it('names folders like Prisma: UTC timestamp and a slug', () => {
    expect(migrationFolderName('Add agent notes!', new Date('2030-01-02T03:04:05.678Z'))).toBe('20300102030405_add_agent_notes');
    expect(() => migrationFolderName(' - ', new Date())).toThrow(/usage/);
  });

  it('warns when a redefined table loses CHECK constraints of earlier migrations', async () => {
    // Making a column optional is one of the changes SQLite cannot ALTER in place.
    const changed = editModel('Task', (body) => body.replace(/^(\s+title\s+)String\b/m, '$1String?'));
    const sql = await diffToSql({ fromDatabaseFile: scratchFile, schemaText: changed });
    expect(sql).toContain('CREATE TABLE "new_tasks"');
    const flagged = redefinedTablesWithChecks(sql, scratchFile);
    expect(flagged.map((entry) => entry.table)).toEqual(['tasks']);
    expect(flagged[0]?.checks).toContain(
      `CONSTRAINT "tasks_status_check" CHECK ("status" IN ('queued', 'assigned', 'running', 'done', 'failed', 'cancelled', 'suspended'))`,
    );
  });

  it('writes the next migration folder in a project, then finds nothing more to write', async () => {
    const project = fs.mkdtempSync(path.join(tempRoot, 'project-'));
    fs.cpSync(path.join(projectRoot, 'prisma'), path.join(project, 'prisma'), { recursive: true });
    fs.writeFileSync(
      path.join(project, 'prisma', 'schema.prisma'),
      editModel('Task', (body) => body.replace(/^(\s+title\s+)String\b/m, '$1String?')),
    );
    const lines: string[] = [];
    const now = new Date('2999-01-02T03:04:05Z');

    const result = await createMigration({ name: 'optional title', projectRoot: project, now, log: (line) => lines.push(line) });
    expect(result.folder).toBe(path.join(project, 'prisma', 'migrations', '29990102030405_optional_title'));
    expect(fs.readFileSync(path.join(result.folder ?? '', 'migration.sql'), 'utf8')).toBe(result.sql);
    expect(lines[0]).toBe('wrote prisma/migrations/29990102030405_optional_title/migration.sql');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/redefines table "tasks".*copy them into the CREATE TABLE "new_tasks"/s);
    expect(fs.readFileSync(path.join(project, 'prisma', 'migrations', 'migration_lock.toml'), 'utf8')).toContain('provider = "sqlite"');

    const again = await createMigration({ name: 'again', projectRoot: project, log: (line) => lines.push(line) });
    expect(again.folder).toBeNull();
    expect(lines.at(-1)).toBe('schema and migrations agree, nothing written');
  });
});
