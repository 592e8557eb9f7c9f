// wait_for_task's loop: asks tasks.get until the task ends or the time is up, with a growing pause
// between looks (quick at first, as short tasks end quickly; then at most every few seconds). It
// polls rather than following the event stream so that both doors run the same code through the
// same procedures, and an agent token whose stream does not carry the task still sees it end.
// A handed-off task is followed to its continuation, as `mesh task --wait` does.
import { setTimeout as sleep } from 'node:timers/promises';
import type { MeshProcedures } from './procedures';

type TaskDetail = Awaited<ReturnType<MeshProcedures['tasks']['get']>>;

export const WAIT_MAX_SECONDS = 600;
export const WAIT_DEFAULT_SECONDS = 300;

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 5_000;
const PAUSE_GROWTH = 1.6;
const ENDED = new Set(['done', 'failed', 'cancelled']);

export type WaitOutcome = { ended: true; task: TaskDetail; followedFrom: string | null } | { ended: false; task: TaskDetail; followedFrom: string | null };

export interface WaitOptions {
  taskId: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called after each look that did not end the wait (progress notifications). */
  onPending?: (task: TaskDetail, elapsedMs: number) => Promise<void> | void;
}

export async function waitForTaskEnd(procedures: MeshProcedures, options: WaitOptions): Promise<WaitOutcome> {
  const started = Date.now();
  let taskId = options.taskId;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    const task = await procedures.tasks.get({ taskId });
    const followedFrom = taskId === options.taskId ? null : options.taskId;
    if (ENDED.has(task.status)) return { ended: true, task, followedFrom };
    if (task.status === 'suspended') {
      const continuation = await findContinuation(procedures, task);
      if (continuation) {
        taskId = continuation;
        continue;
      }
    }
    const elapsed = Date.now() - started;
    const remaining = options.timeoutMs - elapsed;
    if (remaining <= 0) return { ended: false, task, followedFrom };
    await options.onPending?.(task, elapsed);
    await sleep(Math.min(pause, remaining), undefined, { signal: options.signal });
    pause = Math.min(pause * PAUSE_GROWTH, MAX_PAUSE_MS);
  }
}

/** A handed-off task's continuation: among the newest tasks, same title, pointing back to it. */
async function findContinuation(procedures: MeshProcedures, task: TaskDetail): Promise<string | undefined> {
  const page = await procedures.tasks.list({ limit: 50 });
  for (const candidate of page.tasks) {
    if (candidate.title !== task.title || candidate.id <= task.id) continue;
    const detail = await procedures.tasks.get({ taskId: candidate.id });
    if (detail.continuesTaskId === task.id) return detail.id;
  }
  return undefined;
}
