// Brings the answers of chat-born tasks (`do`, free chat, `@agent`) back to the chat they were
// asked in: when such a task completes, its output is posted to that channel as a message from
// the agent that did it; a failure or cancellation is posted as a system note.
//
// Why the event bus and not a hook in the task engine: a task can end in several places (a
// worker's report, the zombie and offline sweepers, an operator's cancel, a handoff), and every
// one of them publishes a task event, so listening on the bus catches all of them with no
// change to the engine. The subscription is open only while answers are awaited, so an idle hub
// has no internal subscriber (the bus's subscriber counts stay the clients'). Which task goes to
// which chat is kept in memory: after a hub restart, answers of tasks still open at that moment
// are not posted (their output stays on the task, at /tasks/<id>).
import type { EventType, StreamItem } from '@/lib/events';
import { LIMITS, truncateToBytes, utf8Bytes } from '@/lib/limits';
import type { Database } from '../db/client';
import type { EventBus } from '../events/event-bus';
import type { ResyncMarker, Subscription } from '../events/subscription';
import type { MessageService } from './message-service';
import type { HubLogger } from '../logging/logger';

export interface PendingAnswer {
  channel: string;
  /** The chat message that asked; the answer replies to it. */
  replyTo: string | null;
  /** Who was asked, for the note when no answer comes. */
  agentId: string;
}

export interface ChatAnswerRelayDeps {
  db: Database;
  events: EventBus;
  messages: Pick<MessageService, 'postAsAgent' | 'postSystem'>;
  logger?: HubLogger;
}

const WATCHED_TYPES = new Set<EventType>(['task_completed', 'task_failed', 'task_cancelled', 'task_handoff']);
/** Answers awaited at once; past it the oldest is forgotten, so a stuck queue cannot grow memory. */
const MAX_PENDING = 1_000;
const TRUNCATION_NOTE = '\n\n[answer cut at the chat’s 50 KB limit; the full output is on the task]';

function taskIdOf(item: StreamItem): string | null {
  const payload = item.payload as { taskId?: unknown };
  return typeof payload.taskId === 'string' ? payload.taskId : null;
}

export class ChatAnswerRelay {
  private readonly pending = new Map<string, PendingAnswer>();
  private subscription: Subscription | null = null;
  private opening: Promise<void> | null = null;
  /** Callers between "start listening" and "tracked": the subscription must stay open for them. */
  private reservations = 0;
  private readonly loops = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: ChatAnswerRelayDeps) {}

  /**
   * Creates a task whose answer goes back to a chat. The relay is listening before the task
   * exists, so its completion cannot slip by unseen. `createTask` answers null when it made none.
   */
  async relay(createTask: () => Promise<string | null>, answer: PendingAnswer): Promise<string | null> {
    this.reservations += 1;
    try {
      await this.listen();
      const taskId = await createTask();
      if (taskId === null) return null;
      this.track(taskId, answer);
      await this.settle(taskId);
      return taskId;
    } finally {
      this.reservations -= 1;
      this.closeWhenIdle();
    }
  }

  /** Answers awaited now (for tests and stats). */
  get awaiting(): number {
    return this.pending.size;
  }

  /** Stops listening and waits for a post in progress (hub shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.subscription?.close();
    await Promise.all([...this.loops]);
  }

  private track(taskId: string, answer: PendingAnswer): void {
    this.pending.set(taskId, answer);
    if (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
  }

  private async listen(): Promise<void> {
    while (!this.subscription || this.subscription.isClosed) {
      if (this.closed) throw new Error('the hub is shutting down');
      this.opening ??= this.deps.events
        .subscribe((event) => WATCHED_TYPES.has(event.type))
        .then((subscription) => {
          this.subscription = subscription;
          const loop: Promise<void> = this.consume(subscription).finally(() => this.loops.delete(loop));
          this.loops.add(loop);
        })
        .finally(() => {
          this.opening = null;
        });
      await this.opening;
    }
  }

  private async consume(subscription: Subscription): Promise<void> {
    for await (const item of subscription.items() as AsyncGenerator<StreamItem | ResyncMarker>) {
      if (item.type === 'resync') {
        // Events were lost: look at every awaited task instead.
        for (const taskId of [...this.pending.keys()]) await this.settle(taskId);
      } else {
        const taskId = taskIdOf(item);
        if (taskId) await this.settle(taskId);
      }
      this.closeWhenIdle();
    }
  }

  private closeWhenIdle(): void {
    if (this.pending.size > 0 || this.reservations > 0 || !this.subscription) return;
    const subscription = this.subscription;
    this.subscription = null;
    subscription.close();
  }

  /** Reads the task's state and, once it has ended, posts its answer (once: the map entry is the guard). */
  private async settle(taskId: string): Promise<void> {
    if (!this.pending.has(taskId)) return;
    try {
      const task = await this.deps.db.task.findUnique({
        where: { id: taskId },
        select: { status: true, output: true, error: true, assignedTo: true },
      });
      if (!task) {
        this.pending.delete(taskId);
        return;
      }
      if (task.status === 'suspended') {
        // Handed off: the continuation carries the answer now.
        const continuation = await this.deps.db.task.findFirst({ where: { continuesTaskId: taskId }, select: { id: true }, orderBy: { id: 'desc' } });
        const answer = this.pending.get(taskId);
        if (!continuation || !answer || !this.pending.delete(taskId)) return;
        this.track(continuation.id, answer);
        await this.settle(continuation.id);
        return;
      }
      if (task.status !== 'done' && task.status !== 'failed' && task.status !== 'cancelled') return;
      const answer = this.pending.get(taskId);
      if (!answer || !this.pending.delete(taskId)) return;
      if (task.status === 'done') {
        const agentId = task.assignedTo ?? answer.agentId;
        await this.deps.messages.postAsAgent(agentId, answer.channel, fitMessage(task.output?.trim() || '(no output)'), answer.replyTo);
      } else if (task.status === 'failed') {
        const reason = task.error ? `: ${truncateToBytes(task.error, 2_000)}` : '';
        await this.deps.messages.postSystem(answer.channel, `No answer from ${task.assignedTo ?? answer.agentId}: task ${taskId} failed${reason}`);
      } else {
        await this.deps.messages.postSystem(answer.channel, `Task ${taskId} was cancelled; no answer will come.`);
      }
    } catch (error) {
      this.deps.logger?.warn(`chat: could not relay the answer of task ${taskId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function fitMessage(text: string): string {
  if (utf8Bytes(text) <= LIMITS.messageBytes) return text;
  return truncateToBytes(text, LIMITS.messageBytes - utf8Bytes(TRUNCATION_NOTE)) + TRUNCATION_NOTE;
}
