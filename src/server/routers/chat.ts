// chat.*: the chat's command interface (spec section 07). Sending needs messages:write; each
// command then checks the permission of what it does and answers with the missing one's name.
import { chatSendInput } from '@/lib/chat-commands';
import { createRouter, withPermission } from '../trpc';

export const chatRouter = createRouter({
  send: withPermission('messages:write')
    .input(chatSendInput)
    .mutation(({ ctx, input }) => ctx.hub.chat.send(ctx.principal, input)),
});
