// Recovery figures from the event log and attempts: for each kill, how long the tasks it interrupted waited until done, and the requeue-to-rerun gap.
import type { AttemptRow, Snapshot, TaskEventRow } from './snapshot';

export interface KillRecord {
  kind: 'hub' | 'worker';
  /** 'hub', or the worker's agent id. */
  target: string;
  killedAt: number;
  /** When the replacement process listened (hub) or registered (worker); null if it never did. */
  restartedAt: number | null;
  pid: number | undefined;
  /** The killed worker's instance id, and its replacement's. */
  instanceId: string | null;
  newInstanceId: string | null;
  /** Tasks finished when the kill fired. */
  finishedAtKill: number;
}

export interface InterruptedTask {
  taskId: string;
  prompt: string;
  heldBy: string | null;
  /** From the event log at the kill instant: assigned (not yet claimed) or running (claimed). */
  stateAtKill: 'assigned' | 'running';
  /** ms after the kill: the hub requeued it (first task_requeued), claimed again (first task_claimed), completed. */
  requeuedAfterMs: number | null;
  requeueReason: string | null;
  claimedAgainAfterMs: number | null;
  completedAfterMs: number | null;
  attempts: AttemptRow[];
}

export interface KillFigures {
  kill: KillRecord;
  interrupted: InterruptedTask[];
  /** The interrupted task that waited longest (null completion counts as longest). */
  worst: InterruptedTask | null;
  /** ms from the kill to the first completion after it (for a worker kill: by that agent). */
  firstCompletionAfterMs: number | null;
}

export interface RequeueGap {
  taskId: string;
  prompt: string;
  staleAttempt: AttemptRow;
  nextAttempt: AttemptRow;
  gapMs: number;
}

export interface StallFigures {
  kills: KillFigures[];
  longest: KillFigures | null;
  /** Max over stale attempts of (start of the next attempt − end of the stale one). */
  longestRequeueGap: RequeueGap | null;
  attemptsByStatus: Record<string, number>;
  requeuesByReason: Record<string, number>;
  /** First task created → last task completed. */
  drainMs: number | null;
}

export const STALL_DEFINITION = [
  'stall after a kill: for each kill, the tasks held at the kill instant (per the event log: assigned or claimed, by the killed',
  'worker, or by anyone for a hub kill) and not yet completed; the figure is (completion − kill time), max over those tasks.',
  'first completion: kill time → the first task completed after it (for a worker kill, by that agent, i.e. its new process).',
  'requeue gap: for each attempt that ended stale (released by the hub), the next attempt\'s start − the stale attempt\'s end.',
].join('\n  ');

function byTask<T extends { taskId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.taskId);
    if (list) list.push(row);
    else map.set(row.taskId, [row]);
  }
  return map;
}

function stateAt(events: TaskEventRow[], instant: number): { state: string; holder: string | null } {
  let state = 'none';
  let holder: string | null = null;
  for (const event of events) {
    if (event.ts > instant) break;
    switch (event.type) {
      case 'task_created':
        state = 'queued';
        break;
      case 'task_assigned':
        state = 'assigned';
        holder = event.assignedTo;
        break;
      case 'task_claimed':
        state = 'running';
        holder = event.assignedTo ?? holder;
        break;
      case 'task_requeued':
        state = 'queued';
        holder = null;
        break;
      case 'task_completed':
        state = 'done';
        break;
      case 'task_failed':
      case 'task_cancelled':
      case 'task_handoff':
        state = event.type;
        break;
    }
  }
  return { state, holder };
}

const firstAfter = (events: TaskEventRow[], type: string, instant: number) => events.find((event) => event.type === type && event.ts > instant);

export function computeStalls(snapshot: Snapshot, kills: KillRecord[]): StallFigures {
  const eventsByTask = byTask(snapshot.events);
  const attemptsByTask = byTask(snapshot.attempts);
  const promptOf = new Map(snapshot.tasks.map((task) => [task.id, task.prompt]));
  const completions = snapshot.events.filter((event) => event.type === 'task_completed');

  const figures: KillFigures[] = kills.map((kill) => {
    const interrupted: InterruptedTask[] = [];
    for (const [taskId, events] of eventsByTask) {
      const { state, holder } = stateAt(events, kill.killedAt);
      if (state !== 'assigned' && state !== 'running') continue;
      if (kill.kind === 'worker' && holder !== kill.target) continue;
      const after = (event: TaskEventRow | undefined) => (event ? event.ts - kill.killedAt : null);
      const requeued = firstAfter(events, 'task_requeued', kill.killedAt);
      interrupted.push({
        taskId,
        prompt: promptOf.get(taskId) ?? '?',
        heldBy: holder,
        stateAtKill: state,
        requeuedAfterMs: after(requeued),
        requeueReason: requeued?.reason ?? null,
        claimedAgainAfterMs: after(firstAfter(events, 'task_claimed', kill.killedAt)),
        completedAfterMs: after(firstAfter(events, 'task_completed', kill.killedAt)),
        attempts: attemptsByTask.get(taskId) ?? [],
      });
    }
    const worst = interrupted.reduce<InterruptedTask | null>((longest, task) => {
      if (!longest) return task;
      const a = task.completedAfterMs ?? Infinity;
      const b = longest.completedAfterMs ?? Infinity;
      return a > b ? task : longest;
    }, null);
    const first = completions.find((event) => event.ts > kill.killedAt && (kill.kind === 'hub' || event.assignedTo === kill.target));
    return { kill, interrupted, worst, firstCompletionAfterMs: first ? first.ts - kill.killedAt : null };
  });

  const longest = figures.reduce<KillFigures | null>((best, figure) => {
    if (!figure.worst) return best;
    if (!best?.worst) return figure;
    return (figure.worst.completedAfterMs ?? Infinity) > (best.worst.completedAfterMs ?? Infinity) ? figure : best;
  }, null);

  let longestRequeueGap: RequeueGap | null = null;
  for (const [taskId, attempts] of attemptsByTask) {
    for (let index = 0; index + 1 < attempts.length; index += 1) {
      const stale = attempts[index]!;
      const next = attempts[index + 1]!;
      if (stale.status !== 'stale' || stale.endedAt === null) continue;
      const gapMs = next.startedAt - stale.endedAt;
      if (!longestRequeueGap || gapMs > longestRequeueGap.gapMs) longestRequeueGap = { taskId, prompt: promptOf.get(taskId) ?? '?', staleAttempt: stale, nextAttempt: next, gapMs };
    }
  }

  const attemptsByStatus: Record<string, number> = {};
  for (const attempt of snapshot.attempts) attemptsByStatus[attempt.status] = (attemptsByStatus[attempt.status] ?? 0) + 1;
  const requeuesByReason: Record<string, number> = {};
  for (const event of snapshot.events) if (event.type === 'task_requeued') requeuesByReason[event.reason ?? '?'] = (requeuesByReason[event.reason ?? '?'] ?? 0) + 1;

  const created = snapshot.tasks.map((task) => task.createdAt);
  const done = snapshot.tasks.map((task) => task.completedAt).filter((value): value is number => value !== null);
  const drainMs = created.length && done.length ? Math.max(...done) - Math.min(...created) : null;

  return { kills: figures, longest, longestRequeueGap, attemptsByStatus, requeuesByReason, drainMs };
}
