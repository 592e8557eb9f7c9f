// The mesh chat: messages by channel from users, agents and the hub itself, listed newest
// first with cursor paging. Every post publishes message_posted (messages:read).
import { newId } from '@/lib/ids';
import { LIMITS, describeLimit, utf8Bytes } from '@/lib/limits';
import { CHANNEL_PATTERN, type MessagesListInput, type MessagesSendInput, type SenderType } from '@/lib/messages';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, badInput } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { Principal } from '../auth/principal';

export interface MessageServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export interface MessageView {
  id: string;
  ts: string;
  sender: string;
  senderType: SenderType;
  channel: string;
  content: string;
  replyTo: string | null;
}

export interface MessagePage {
  messages: MessageView[];
  /** Pass as `cursor` for the next, older page; null on the last page. */
  nextCursor: string | null;
}

/** The name the master token posts under: it stands for the operator, not a person's account. */
export const MASTER_SENDER = 'operator';
export const SYSTEM_SENDER = 'system';

/** Who a principal posts as. `system` is never reachable from a request: only postSystem uses it. */
export function senderOf(principal: Principal): { sender: string; senderType: Exclude<SenderType, 'system'> } {
  switch (principal.kind) {
    case 'user':
      return { sender: principal.username, senderType: 'user' };
    case 'agent':
      return { sender: principal.agentId, senderType: 'agent' };
    case 'master':
      return { sender: MASTER_SENDER, senderType: 'user' };
    case 'apiKey':
      return { sender: `key:${principal.name}`, senderType: 'user' };
    case 'webhook':
      return { sender: `webhook:${principal.name}`, senderType: 'user' };
  }
}

function toView(row: { id: string; ts: Date; sender: string; senderType: string; channel: string; content: string; replyTo: string | null }): MessageView {
  return {
    id: row.id,
    ts: row.ts.toISOString(),
    sender: row.sender,
    senderType: row.senderType as SenderType,
    channel: row.channel,
    content: row.content,
    replyTo: row.replyTo,
  };
}

export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  async send(principal: Principal, input: MessagesSendInput): Promise<MessageView> {
    return this.post({ ...senderOf(principal), channel: input.channel, content: input.content, replyTo: input.replyTo ?? null });
  }

  /**
   * A post by the hub itself (alerts, escalations, sweepers). Callers are hub code, not
   * requests, so the channel and size are checked here rather than by a router's schema.
   */
  async postSystem(channel: string, content: string): Promise<MessageView> {
    if (!CHANNEL_PATTERN.test(channel)) throw badInput('channel', 'must match [a-z0-9_-]{1,64}');
    return this.post({ sender: SYSTEM_SENDER, senderType: 'system', channel, content, replyTo: null });
  }

  /**
   * A post in an agent's name by the hub: a finished task's answer relayed to the chat it was
   * asked in (the chat service). The agent reported it through its own lease, so this is its word.
   */
  async postAsAgent(agentId: string, channel: string, content: string, replyTo: string | null = null): Promise<MessageView> {
    if (!CHANNEL_PATTERN.test(channel)) throw badInput('channel', 'must match [a-z0-9_-]{1,64}');
    return this.post({ sender: agentId, senderType: 'agent', channel, content, replyTo });
  }

  /** One channel, newest first. Ids are UUIDv7, so id order is creation order and the cursor is an id. */
  async list(input: MessagesListInput): Promise<MessagePage> {
    const rows = await this.deps.db.message.findMany({
      where: { channel: input.channel, ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
      orderBy: { id: 'desc' },
      // One extra row tells whether another page exists without a second query.
      take: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    return {
      messages: page.map(toView),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  private async post(message: { sender: string; senderType: SenderType; channel: string; content: string; replyTo: string | null }): Promise<MessageView> {
    if (utf8Bytes(message.content) > LIMITS.messageBytes) {
      throw new AppError('limit_exceeded', `content: exceeds the ${describeLimit('messageBytes')} limit (messageBytes)`, {
        field: 'content',
        limit: 'messageBytes',
      });
    }
    if (message.replyTo) {
      const parent = await this.deps.db.message.findUnique({ where: { id: message.replyTo }, select: { id: true } });
      if (!parent) throw new AppError('not_found', 'replyTo: message not found', { field: 'replyTo' });
    }
    const now = this.deps.clock.now();
    const row = await this.deps.db.message.create({
      data: { id: newId(now.getTime()), ts: now, ...message },
    });
    const view = toView(row);
    await this.deps.events.publish(
      'message_posted',
      {
        messageId: view.id,
        sender: view.sender,
        senderType: view.senderType,
        channel: view.channel,
        content: view.content,
        replyTo: view.replyTo,
      },
      { permission: 'messages:read' },
    );
    return view;
  }
}
