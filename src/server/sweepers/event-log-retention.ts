// Sweeper: deletes logged events older than MESH_EVENT_RETENTION_DAYS, and expired sessions.
import type { Hub } from '../hub';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepEventLogAndSessions(hub: Hub, now: Date): Promise<{ events: number; sessions: number }> {
  const events = await hub.events.deleteOlderThan(new Date(now.getTime() - hub.config.eventRetentionDays * DAY_MS));
  const sessions = await hub.db.session.deleteMany({ where: { expiresAt: { lt: now } } });
  return { events, sessions: sessions.count };
}
