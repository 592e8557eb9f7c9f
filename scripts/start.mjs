// `npm start`: builds the web app and the compiled hub when missing or stale, then runs the hub
// (dist/server.js, which applies pending migrations at start) under plain node with the
// production flags. Plain JavaScript: nothing at run time needs a TypeScript runner.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale, buildServerIfStale } from './lib/build-if-stale.mjs';
import { HUB_ENTRY, HUB_ENV, HUB_NODE_FLAGS } from './lib/hub-launch.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
// A headless hub (MESH_UI=off) never loads the web app, so it need not wait for `next build`.
if (process.env.MESH_UI === 'off') buildServerIfStale(projectRoot);
else buildIfStale(projectRoot);

// A child process, because node's flags and MALLOC_ARENA_MAX take effect only when a process
// starts. This launcher only waits, passes signals on and exits with the hub's code; settings in
// the environment win. package.json runs it with `exec`, so npm's shell is replaced by it and the
// SIGTERM/SIGINT npm passes on reaches this process (without exec, sh dies of the signal and the
// hub is left running, holding the port).
const hub = spawn(process.execPath, [...HUB_NODE_FLAGS, path.join(projectRoot, HUB_ENTRY), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...HUB_ENV, ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // A terminal's Ctrl-C reaches both processes; the hub's shutdown ignores the second signal.
  process.on(signal, () => hub.kill(signal));
}
hub.once('error', (error) => {
  console.error(`[m3shd] could not start the hub: ${error.message}`);
  process.exit(1);
});
hub.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 1)));
