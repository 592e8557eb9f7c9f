// Builds what `npm start` runs when it is missing or older than its sources: the Next app
// (.next/, by `next build`) and the compiled hub (dist/, by scripts/build-server.mjs).
// Plain JavaScript: `npm start` runs it with node alone, before anything is compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WEB_SOURCES = ['src', 'public', 'next.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'prisma/schema.prisma'];
const SKIP = new Set(['generated', 'node_modules']);
/** What every server build depends on besides the sources esbuild read (listed in its manifest). */
const SERVER_BUILD_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build-server.mjs'];
const SERVER_MANIFEST = path.join('dist', 'build-inputs.json');

function newestModification(entry) {
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

/** The Next build is missing or older than a source it is made from. */
export function webBuildIsStale(projectRoot) {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return WEB_SOURCES.some((source) => newestModification(path.join(projectRoot, source)) > built);
}

/**
 * dist/ is missing, or a file it was compiled from (esbuild's own list, which includes the
 * generated Prisma client) changed or vanished since that build started.
 */
export function serverBuildIsStale(projectRoot) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, SERVER_MANIFEST), 'utf8'));
  } catch {
    return true;
  }
  if (!Array.isArray(manifest.inputs) || typeof manifest.startedAt !== 'number') return true;
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'server.js'))) return true;
  return [...manifest.inputs, ...SERVER_BUILD_FILES].some((input) => {
    const file = path.join(projectRoot, input);
    return !fs.existsSync(file) || fs.statSync(file).mtimeMs > manifest.startedAt;
  });
}

/** Either build is missing or stale. */
export function buildIsStale(projectRoot) {
  return webBuildIsStale(projectRoot) || serverBuildIsStale(projectRoot);
}

function run(projectRoot, what, command, args) {
  console.log(`[m3shd] ${what}…`);
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    console.error('[m3shd] the build failed');
    process.exit(result.status ?? 1);
  }
}

/** Compiles dist/ when it is missing or stale (a second or so; no Next build). */
export function buildServerIfStale(projectRoot) {
  if (serverBuildIsStale(projectRoot)) run(projectRoot, 'compiling the hub into dist/ (scripts/build-server.mjs)', process.execPath, [path.join('scripts', 'build-server.mjs')]);
}

/** `npm run build` (both builds) when the web app is stale; otherwise only dist/ when that is. */
export function buildIfStale(projectRoot) {
  if (webBuildIsStale(projectRoot)) run(projectRoot, 'building the web app and the hub (npm run build)', 'npm', ['run', 'build']);
  else buildServerIfStale(projectRoot);
}
