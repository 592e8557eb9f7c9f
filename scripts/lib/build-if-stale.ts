// Builds the Next app when the build is missing or older than any source it is made from.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['src', 'public', 'next.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'prisma/schema.prisma'];
const SKIP = new Set(['generated', 'node_modules']);

function newestModification(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    if (SKIP.has(child) || child.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestModification(path.join(entry, child)));
  }
  return newest;
}

export function buildIsStale(projectRoot: string): boolean {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestModification(path.join(projectRoot, source)) > built);
}

export function buildIfStale(projectRoot: string): void {
  if (!buildIsStale(projectRoot)) return;
  console.log('[m3shd] building the web app (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    console.error('[m3shd] the build failed');
    process.exit(result.status ?? 1);
  }
}
