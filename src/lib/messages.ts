// Input schemas of the messages.* procedures: the mesh chat, by channel.
import { z } from 'zod';
import { boundedText, listLimitSchema } from './schemas';

export const SENDER_TYPES = ['user', 'agent', 'system'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

export const DEFAULT_CHANNEL = 'general';
export const CHANNEL_PATTERN = /^[a-z0-9_-]{1,64}$/;

export const channelSchema = z.string().regex(CHANNEL_PATTERN, 'must match [a-z0-9_-]{1,64}');
const messageIdSchema = z.string().min(1).max(64);

export const messagesSendInput = z.object({
  content: boundedText('messageBytes').refine((content) => content.trim().length > 0, 'must not be empty'),
  channel: channelSchema.default(DEFAULT_CHANNEL),
  replyTo: messageIdSchema.optional(),
});
export type MessagesSendInput = z.infer<typeof messagesSendInput>;

/** Newest first; pass the previous page's nextCursor to get the next (older) page. */
export const messagesListInput = z.object({
  channel: channelSchema.default(DEFAULT_CHANNEL),
  cursor: messageIdSchema.optional(),
  limit: listLimitSchema,
});
export type MessagesListInput = z.infer<typeof messagesListInput>;
