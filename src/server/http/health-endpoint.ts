// GET /api/health, unauthenticated: status, version, uptime, database reachable.
import type { ServerResponse } from 'node:http';
import type { Hub } from '../hub';
import { sendJson } from './json-response';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  database: 'ok' | 'unreachable';
}

export async function healthReport(hub: Hub): Promise<HealthReport> {
  let database: HealthReport['database'] = 'ok';
  try {
    await hub.db.$queryRawUnsafe('SELECT 1');
  } catch {
    database = 'unreachable';
  }
  return {
    status: database === 'ok' ? 'ok' : 'degraded',
    version: hub.config.version,
    uptimeSeconds: Math.floor((hub.clock.now().getTime() - hub.startedAt.getTime()) / 1000),
    database,
  };
}

export async function handleHealth(hub: Hub, response: ServerResponse): Promise<void> {
  const report = await healthReport(hub);
  sendJson(response, report.status === 'ok' ? 200 : 503, report);
}
