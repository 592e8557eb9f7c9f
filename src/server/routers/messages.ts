// messages.*: the mesh chat (messages:write to send, messages:read to list).
import { messagesListInput, messagesSendInput } from '@/lib/messages';
import { createRouter, withPermission } from '../trpc';

export const messagesRouter = createRouter({
  send: withPermission('messages:write')
    .input(messagesSendInput)
    .mutation(({ ctx, input }) => ctx.hub.messages.send(ctx.principal, input)),
  list: withPermission('messages:read')
    .input(messagesListInput)
    .query(({ ctx, input }) => ctx.hub.messages.list(input)),
});
