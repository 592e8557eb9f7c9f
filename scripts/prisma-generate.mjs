// Generates the Prisma client. Offline machines have no schema-engine binary and Prisma
// tries to download one; the generator never runs it, so any existing file satisfies the
// check (see shared toolchain notes). Machines with a real engine keep the normal path.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const enginesDir = join(process.cwd(), 'node_modules', '@prisma', 'engines');
const hasEngine =
  existsSync(enginesDir) && readdirSync(enginesDir).some((name) => name.startsWith('schema-engine'));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!hasEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';

const result = spawnSync(join('node_modules', '.bin', 'prisma'), ['generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
