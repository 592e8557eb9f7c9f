// Waits for a task to finish, for `mesh task --wait`: the live event stream says when to look,
// tasks.get says what happened. While the stream is down (or cannot show the task's events to
// this token) it polls tasks.get every 2 s instead. A handoff is followed to its continuation.
import type { EventType, MeshEvent } from '../../src/lib/events';
import type { HubClient } from '../../src/lib/hub-client';
import type { HubConnection, HubOutputs } from './connection';
import { httpStatusOf, isAuthError } from './errors';
import { followEvents } from './event-follow';

export type TaskDetail = HubOutputs['tasks']['get'];

export type WaitResult =
  | { kind: 'finished'; task: TaskDetail }
  | { kind: 'timeout' | 'interrupted'; taskId: string; status: string };

export interface WaitOptions {
  hub: HubConnection;
  taskId: string;
  /** Give up after this long; undefined waits until the task finishes or Ctrl-C. */
  timeoutMs?: number;
  /**
   * Poll even while the stream is live: an agent token's stream carries only its own agent's
   * task events, so a task done by another agent would never show up on it.
   */
  pollAlways: boolean;
  pollIntervalMs?: number;
  note(text: string): void;
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);
const TERMINAL_EVENTS = new Set<EventType>(['task_completed', 'task_failed', 'task_cancelled']);

/**
 * The hub sends `connected` just before it registers the subscription on its bus, so an event
 * published in between is not on the stream; one more look shortly after connecting covers it.
 */
const RECHECK_AFTER_CONNECT_MS = 1_000;

export function waitForTask(options: WaitOptions): Promise<WaitResult> {
  const { hub, note } = options;
  const client = hub.client;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;

  return new Promise<WaitResult>((resolve, reject) => {
    let currentId = options.taskId;
    let lastStatus = 'queued';
    let live = false;
    let everLive = false;
    let checking = false;
    let checkAgain = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const cleanup = () => {
      settled = true;
      follower.stop();
      clearInterval(poller);
      for (const timer of timers) clearTimeout(timer);
      process.off('SIGINT', onInterrupt);
    };
    const finish = (result: WaitResult) => {
      if (settled) return;
      cleanup();
      resolve(result);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      cleanup();
      reject(error);
    };

    const followContinuation = (nextId: string) => {
      if (nextId === currentId) return;
      note(`task ${currentId} was handed off; following its continuation ${nextId}`);
      currentId = nextId;
      void check();
    };

    async function check(): Promise<void> {
      if (settled) return;
      // A look asked for while one is under way (say, a completion event) must still happen.
      if (checking) {
        checkAgain = true;
        return;
      }
      checking = true;
      try {
        const task = await client.tasks.get.query({ taskId: currentId }, hub.request());
        lastStatus = task.status;
        if (FINISHED.has(task.status)) finish({ kind: 'finished', task });
        else if (task.status === 'suspended') {
          const next = await findContinuation(client, hub, task);
          if (next) followContinuation(next);
        }
      } catch (error) {
        if (isAuthError(error) || httpStatusOf(error) === 404) fail(error);
        // Otherwise the hub is unreachable for now: the next poll tries again.
      } finally {
        checking = false;
        if (checkAgain && !settled) {
          checkAgain = false;
          void check();
        }
      }
    }

    const onTaskEvent = (event: MeshEvent) => {
      const payload = event.payload as { taskId?: string; status?: unknown };
      if (payload.taskId !== currentId) return;
      if (typeof payload.status === 'string') lastStatus = payload.status;
      switch (event.type) {
        case 'task_assigned':
          note(`assigned to ${(event as MeshEvent<'task_assigned'>).payload.assignedTo ?? 'nobody'}`);
          break;
        case 'task_claimed': {
          const claimed = (event as MeshEvent<'task_claimed'>).payload;
          note(`running on ${claimed.assignedTo ?? 'an agent'} (attempt ${claimed.attempt})`);
          break;
        }
        case 'task_requeued':
          note(`back in the queue (${(event as MeshEvent<'task_requeued'>).payload.reason.replaceAll('_', ' ')})`);
          break;
        case 'task_handoff':
          followContinuation((event as MeshEvent<'task_handoff'>).payload.continuationTaskId);
          break;
        default:
          if (TERMINAL_EVENTS.has(event.type)) void check();
      }
    };

    const follower = followEvents({
      hubUrl: hub.settings.url,
      token: hub.settings.token,
      onLive() {
        if (everLive) note('event stream back');
        live = true;
        everLive = true;
        void check();
        timers.push(setTimeout(() => void check(), RECHECK_AFTER_CONNECT_MS));
      },
      onDown(reason) {
        live = false;
        note(`lost the event stream (${reason}); checking every ${pollIntervalMs / 1000} s until it is back`);
      },
      onEvent: onTaskEvent,
      onFatal: fail,
    });

    const poller = setInterval(() => {
      if (!live || options.pollAlways) void check();
    }, pollIntervalMs);

    if (options.timeoutMs !== undefined) {
      timers.push(setTimeout(() => finish({ kind: 'timeout', taskId: currentId, status: lastStatus }), options.timeoutMs));
    }

    function onInterrupt() {
      finish({ kind: 'interrupted', taskId: currentId, status: lastStatus });
    }
    process.on('SIGINT', onInterrupt);
  });
}

/**
 * When a task was handed off while the stream was down, its continuation is found among the
 * newest tasks: same title, created after it, `continuesTaskId` pointing back.
 */
async function findContinuation(client: HubClient, hub: HubConnection, task: TaskDetail): Promise<string | undefined> {
  const page = await client.tasks.list.query({ limit: 50 }, hub.request());
  for (const candidate of page.tasks) {
    if (candidate.title !== task.title || candidate.id <= task.id) continue;
    const detail = await client.tasks.get.query({ taskId: candidate.id }, hub.request());
    if (detail.continuesTaskId === task.id) return detail.id;
  }
  return undefined;
}
