// The hub process. Start-up in order: config → migrations → hub context → sweepers → listen;
// /api/trpc/* and the REST edges are served here, everything else by Next. SIGTERM/SIGINT:
// stop accepting, end SSE streams, stop sweepers, close the database, exit 0.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './src/server/config';
import { setActiveHub } from './src/server/active-hub';
import { createHub, type Hub } from './src/server/hub';
import { startHubServer, type RunningHubServer } from './src/server/http/hub-server';
import { loadNextHandler } from './src/server/http/next-handler';
import { findProjectRoot } from './src/server/project-root';
import { createHubLogger } from './src/server/logging/logger';
import { credentialLines, listeningLine, nextStepsLines, openUrl } from './src/server/startup-banner';

// package.json, prisma/migrations and .next: found the same way from server.ts and dist/server.js.
const projectRoot = findProjectRoot();

async function main(): Promise<void> {
  const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  let config;
  try {
    config = loadConfig(process.env, version);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[m3shd] cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // Structured logs from here on (MESH_LOG_LEVEL, MESH_LOG_FORMAT); the first-start credentials
  // below stay a plain human-readable block on stdout.
  const logger = createHubLogger(config);

  // Signals are handled from here on, before anything is listening or printed: a supervisor
  // that stops the hub right after it announces itself must still get a clean shutdown.
  let hub: Hub | undefined;
  let running: RunningHubServer | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${signal}: shutting down`);
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    const shutdown = running ? running.shutdown() : (hub?.close() ?? Promise.resolve());
    shutdown.then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const created = await createHub({ config, logger, migrationsDir: path.join(projectRoot, 'prisma', 'migrations') });
  hub = created.hub;
  const { firstStart } = created;
  setActiveHub(hub);
  for (const line of credentialLines(firstStart)) console.log(line);

  // next-auth builds its URLs from NEXTAUTH_URL, or from the request's host when trusted to.
  if (config.publicUrl) process.env.NEXTAUTH_URL = config.publicUrl;
  else process.env.AUTH_TRUST_HOST = '1';

  const uiEnabled = process.env.MESH_UI !== 'off';
  // Next itself is imported only with the UI on: a headless hub never loads it.
  const nextHandler = uiEnabled ? await loadNextHandler({ dir: projectRoot, hostname: config.host, port: config.port }) : undefined;
  if (stopping) return;
  running = await startHubServer({ hub, port: config.port, host: config.host, next: nextHandler });
  const url = openUrl({ host: config.host, port: running.port, publicUrl: config.publicUrl });
  // The bound URL is followed by a space, so scripts can take it from the line (JSON or pretty).
  logger.info(
    { url: running.url, bound: running.boundAddress, open: url, version, ui: uiEnabled },
    listeningLine({ version, bound: running.boundAddress, pid: process.pid, url, apiOnly: !uiEnabled }),
  );
  if (firstStart.masterToken || firstStart.admin) for (const line of nextStepsLines({ url, firstStart })) console.log(line);
}

main().catch((error: unknown) => {
  if ((error as { code?: string })?.code === 'EADDRINUSE') {
    const port = process.env.PORT || '3000';
    console.error(`[m3shd] cannot start: port ${port} is in use (another hub still running? see who holds it: ss -ltnp 'sport = :${port}'; or set PORT)`);
    process.exit(1);
  }
  console.error(`[m3shd] failed to start: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
