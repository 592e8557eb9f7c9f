// context.*: the shared key-value store (messages:read to read, messages:write to change).
import { contextDeleteInput, contextGetInput, contextSetInput } from '@/lib/context';
import { createRouter, withPermission } from '../trpc';

const readContext = withPermission('messages:read');
const writeContext = withPermission('messages:write');

export const contextRouter = createRouter({
  list: readContext.query(({ ctx }) => ctx.hub.context.list()),
  get: readContext.input(contextGetInput).query(({ ctx, input }) => ctx.hub.context.get(input.key)),
  set: writeContext.input(contextSetInput).mutation(({ ctx, input }) => ctx.hub.context.set(ctx.principal, input.key, input.value)),
  delete: writeContext.input(contextDeleteInput).mutation(({ ctx, input }) => ctx.hub.context.delete(input.key)),
});
