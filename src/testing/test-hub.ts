// A real hub for integration tests: a fresh SQLite file in a temp folder, migrations applied,
// listening on an ephemeral port, with the first-start credentials captured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHubClient, type HubClient, type HubClientOptions } from '../lib/hub-client';
import type { Clock } from '../server/clock';
import { loadConfig } from '../server/config';
import { createHub, type Hub } from '../server/hub';
import { startHubServer, type RunningHubServer } from '../server/http/hub-server';
import type { HubLogger } from '../server/logging/logger';

export interface TestHub {
  hub: Hub;
  url: string;
  dataDir: string;
  masterToken: string;
  adminPassword: string;
  server: RunningHubServer;
  client(options?: Omit<HubClientOptions, 'hubUrl'>): HubClient;
  /** Stops the server and closes the database; keeps the data dir (for restart tests). */
  stop(): Promise<void>;
  /** stop() and delete the data dir. */
  destroy(): Promise<void>;
}

export interface StartTestHubOptions {
  clock?: Clock;
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests); credentials then come from the earlier start. */
  dataDir?: string;
  masterToken?: string;
  adminPassword?: string;
  /** A fixed port (restart tests, where workers keep the hub's URL); default: any free port. */
  port?: number;
  /** Where the hub logs (default: nowhere). */
  logger?: HubLogger;
}

export function makeTempDir(prefix = 'm3shd-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestHub(options: StartTestHubOptions = {}): Promise<TestHub> {
  const dataDir = options.dataDir ?? makeTempDir();
  const config = loadConfig({ MESH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MESH_SHUTDOWN_GRACE_MS: '500', ...options.env }, 'test');
  const { hub, firstStart } = await createHub({ config, clock: options.clock, logger: options.logger, migrationsDir: path.resolve('prisma/migrations') });
  const server = await startHubServer({ hub, port: options.port ?? 0, host: '127.0.0.1', sweepers: [] });
  const masterToken = firstStart.masterToken ?? options.masterToken ?? options.env?.MESH_MASTER_TOKEN;
  const adminPassword = firstStart.admin?.password ?? options.adminPassword;
  if (!masterToken || !adminPassword) throw new Error('test hub: credentials of an earlier start must be passed in');
  const stop = () => server.shutdown();
  return {
    hub,
    url: server.url,
    dataDir,
    masterToken,
    adminPassword,
    server,
    client: (clientOptions = {}) => createHubClient({ hubUrl: server.url, ...clientOptions }),
    stop,
    async destroy() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through POST /api/login and returns the Cookie header value. */
export async function loginCookie(url: string, body: { username: string; password: string } | { token: string }): Promise<string> {
  const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`login failed with ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/** A raw tRPC call over HTTP (no client), for status-code assertions. */
export async function rawCall(
  url: string,
  procedure: string,
  options: { type: 'query' | 'mutation'; input?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; body: any }> {
  const endpoint = `${url}/api/trpc/${procedure}`;
  const response =
    options.type === 'query'
      ? await fetch(options.input === undefined ? endpoint : `${endpoint}?input=${encodeURIComponent(JSON.stringify(options.input))}`, { headers: options.headers })
      : await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...options.headers },
          body: options.input === undefined ? undefined : JSON.stringify(options.input),
        });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
