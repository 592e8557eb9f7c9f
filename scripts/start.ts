// `npm start`: builds the web app when the build is missing or stale, then runs the hub
// (server.ts applies pending migrations at start).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './lib/build-if-stale';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
buildIfStale(projectRoot);
await import('../server.ts');
