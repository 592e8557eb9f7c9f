// Starts a real hub (server.ts, built Next app) on a fresh data dir for the e2e run and hands
// its first-start credentials to the tests through the environment. Returns the teardown.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** E2E_PORT lets two checkouts run their e2e suites side by side. */
const PORT = Number(process.env.E2E_PORT ?? 3217);

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-e2e-'));
  const hub = spawn(path.join('node_modules', '.bin', 'tsx'), ['server.ts'], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', MESH_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', MESH_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  hub.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${output}`)), 60_000);
    hub.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    hub.once('exit', (code) => reject(new Error(`hub exited with ${code}:\n${output}`)));
  });
  const password = /password: (\S+)/.exec(output)?.[1];
  const masterToken = /master token\s+(\S+)/.exec(output)?.[1];
  if (!password || !masterToken) throw new Error('first-start credentials were not printed');
  process.env.E2E_BASE_URL = `http://127.0.0.1:${PORT}`;
  process.env.E2E_ADMIN_PASSWORD = password;
  process.env.E2E_MASTER_TOKEN = masterToken;

  return async () => {
    hub.kill('SIGTERM');
    await new Promise((resolve) => hub.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
