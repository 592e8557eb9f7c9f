// Hub-machine recovery, working on the database directly (no HTTP, no token needed):
//   npm run admin -- create-admin <username>     create an admin, or make an existing user an enabled admin with a new password
//   npm run admin -- reset-password <username>   set a new generated password (sessions of that user end)
//   npm run admin -- rotate-master-token         replace the master token (printed once)
//   npm run admin -- backup <file>               online backup of the SQLite database to <file>
//   npm run admin -- restore <file>              replace the database with a backup (stop the hub first)
// Reads the same MESH_* settings as the hub.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig, type HubConfig } from '../src/server/config';
import { rotateMasterToken } from '../src/server/auth/secrets';
import { createHub } from '../src/server/hub';
import { AppError } from '../src/server/errors';
import { findProjectRoot } from '../src/server/project-root';

const USAGE = `usage: npm run admin -- <command>
  create-admin <username>     create an admin (or make an existing user an enabled admin) with a new password
  reset-password <username>   set a new generated password for a user
  rotate-master-token         replace the master token; the new one is printed once
  backup <file>               online backup of the database to <file>
  restore <file>              replace the database with a backup (stop the hub first)`;

async function withHub<T>(config: HubConfig, work: (hub: Awaited<ReturnType<typeof createHub>>['hub']) => Promise<T>): Promise<T> {
  // The project's migrations, whatever the working directory (also from dist/scripts/admin.js).
  const { hub, firstStart } = await createHub({ config, migrationsDir: path.join(findProjectRoot(), 'prisma', 'migrations') });
  if (firstStart.masterToken) console.log(`first start: master token ${firstStart.masterToken}`);
  if (firstStart.admin) console.log(`first start: user ${firstStart.admin.username} password ${firstStart.admin.password}`);
  try {
    return await work(hub);
  } finally {
    await hub.close();
  }
}

async function backup(config: HubConfig, target: string): Promise<void> {
  if (!fs.existsSync(config.databaseFile)) throw new Error('no database to back up yet (start the hub once)');
  const destination = path.resolve(target);
  if (fs.existsSync(destination)) throw new Error(`${target} exists; choose a new file name`);
  const database = new Database(config.databaseFile, { readonly: true, fileMustExist: true });
  try {
    await database.backup(destination);
  } finally {
    database.close();
  }
  fs.chmodSync(destination, 0o600);
  console.log(`backed up the database to ${target}`);
}

function restore(config: HubConfig, source: string): void {
  const origin = path.resolve(source);
  if (!fs.existsSync(origin)) throw new Error(`${source} does not exist`);
  const candidate = new Database(origin, { readonly: true, fileMustExist: true });
  try {
    const integrity = candidate.pragma('integrity_check', { simple: true });
    const migrations = candidate.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = '_prisma_migrations'").get() as { n: number };
    if (integrity !== 'ok' || migrations.n !== 1) throw new Error(`${source} is not an m3shd database backup`);
  } catch (error) {
    if (error instanceof Error && error.message.includes('m3shd')) throw error;
    throw new Error(`${source} is not a readable SQLite database`);
  } finally {
    candidate.close();
  }
  fs.mkdirSync(path.dirname(config.databaseFile), { recursive: true });
  for (const suffix of ['-wal', '-shm']) fs.rmSync(config.databaseFile + suffix, { force: true });
  fs.copyFileSync(origin, config.databaseFile);
  fs.chmodSync(config.databaseFile, 0o600);
  console.log(`restored the database from ${source}; start the hub to use it`);
}

async function main(argv: string[]): Promise<void> {
  const [command, argument] = argv;
  const config = loadConfig(process.env);
  switch (command) {
    case 'create-admin': {
      if (!argument) throw new Error('create-admin needs a username');
      const result = await withHub(config, (hub) => hub.users.upsertAdmin(argument));
      console.log(`${result.created ? 'created' : 'updated'} admin ${argument}; password: ${result.password}`);
      return;
    }
    case 'reset-password': {
      if (!argument) throw new Error('reset-password needs a username');
      const result = await withHub(config, async (hub) => hub.users.resetPassword(await hub.users.findIdByUsername(argument)));
      console.log(`new password for ${argument}: ${result.password}`);
      return;
    }
    case 'rotate-master-token':
      console.log(`new master token (shown once): ${rotateMasterToken(config)}`);
      return;
    case 'backup':
      if (!argument) throw new Error('backup needs a target file');
      return backup(config, argument);
    case 'restore':
      if (!argument) throw new Error('restore needs a backup file');
      return restore(config, argument);
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof AppError || error instanceof Error ? error.message : 'failed';
  console.error(`admin: ${message}`);
  process.exit(1);
});
