// Sweeper: assigned or running tasks with no progress (a chunk, a status change, or a
// heartbeat listing them) for the zombie timeout go back to the queue, or fail at the attempt
// limit. A claim already counted its attempt; an assigned task never claimed counts none (it
// never ran: a worker holding back under its load gate must not burn the task's attempts).
import type { Hub } from '../hub';

export async function sweepZombieTasks(hub: Hub, now: Date): Promise<{ requeued: number; failed: number }> {
  const cutoff = new Date(now.getTime() - hub.config.zombieMinutes * 60_000);
  const stalled = await hub.taskRepository.stalledTasks(cutoff, 500);
  const counts = { requeued: 0, failed: 0 };
  for (const task of stalled) {
    const outcome = await hub.tasks.requeueOrFail(task.id, {
      reason: 'zombie',
      error: `no progress for ${hub.config.zombieMinutes} minutes`,
      countAttempt: false,
      attemptStatus: 'stale',
    });
    if (outcome === 'requeued') counts.requeued += 1;
    if (outcome === 'failed') counts.failed += 1;
  }
  return counts;
}
