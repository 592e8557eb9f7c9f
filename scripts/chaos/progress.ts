// How far the run is, asked of the hub (analytics.tasks with the master token); null while the hub cannot answer.
import type { HubClient } from '../../src/lib/hub-client';

export interface Progress {
  done: number;
  failed: number;
  cancelled: number;
  /** queued + assigned + running + suspended */
  open: number;
  total: number;
  finished: number;
}

export async function readProgress(client: HubClient): Promise<Progress | null> {
  try {
    const answer = await client.analytics.tasks.query({ days: 2 }, { signal: AbortSignal.timeout(5_000) });
    const s = answer.byStatus;
    const finished = s.done + s.failed + s.cancelled;
    return { done: s.done, failed: s.failed, cancelled: s.cancelled, open: s.queued + s.assigned + s.running + s.suspended, total: answer.total, finished };
  } catch {
    return null;
  }
}
