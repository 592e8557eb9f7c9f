// `npm run test:e2e`: makes sure Debian's Chromium is there (installing it when running as
// root), builds the app when stale, then runs Playwright against the built app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './lib/build-if-stale.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.MESH_CHROMIUM ?? '/usr/bin/chromium';

function run(command: string, args: string[]): number {
  return spawnSync(command, args, { stdio: 'inherit', cwd: projectRoot, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }).status ?? 1;
}

if (!fs.existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log('[e2e] installing Debian chromium…');
    if (run('apt-get', ['update']) !== 0 || run('apt-get', ['install', '-y', 'chromium']) !== 0) {
      console.error('[e2e] could not install chromium');
      process.exit(1);
    }
  } else {
    console.error(`[e2e] Chromium not found at ${chromium}. Install it with: sudo apt-get install -y chromium (or set MESH_CHROMIUM).`);
    process.exit(1);
  }
}

buildIfStale(projectRoot);
process.exit(run(path.join('node_modules', '.bin', 'playwright'), ['test', ...process.argv.slice(2)]));
