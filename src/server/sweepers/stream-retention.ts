// Sweeper: finished tasks keep their stream chunks for MESH_STREAM_RETENTION_DAYS; the final
// output stays on the task.
import type { Hub } from '../hub';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function sweepStreamChunks(hub: Hub, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - hub.config.streamRetentionDays * DAY_MS);
  const result = await hub.db.taskStreamChunk.deleteMany({
    where: { task: { status: { in: ['done', 'failed', 'cancelled', 'suspended'] }, completedAt: { lt: cutoff } } },
  });
  return result.count;
}
