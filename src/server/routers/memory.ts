// memory.*: agent memory (spec section 14). memory:read to list, search and see what was injected
// or consolidated; memory:write to store, delete and consolidate (consolidation: callers acting for the whole mesh).
import { memoryConsolidateInput, memoryConsolidationsInput, memoryDeleteInput, memoryInjectedInput, memoryListInput, memorySearchInput, memoryStoreInput } from '@/lib/memory';
import { createRouter, withPermission } from '../trpc';

const readMemory = withPermission('memory:read');
const writeMemory = withPermission('memory:write');

export const memoryRouter = createRouter({
  store: writeMemory.input(memoryStoreInput).mutation(({ ctx, input }) => ctx.hub.memory.store(ctx.principal, input)),
  list: readMemory.input(memoryListInput).query(({ ctx, input }) => ctx.hub.memory.list(ctx.principal, input)),
  search: readMemory.input(memorySearchInput).query(({ ctx, input }) => ctx.hub.memory.search(ctx.principal, input)),
  delete: writeMemory.input(memoryDeleteInput).mutation(({ ctx, input }) => ctx.hub.memory.delete(ctx.principal, input)),
  consolidate: writeMemory.input(memoryConsolidateInput).mutation(({ ctx }) => ctx.hub.memory.consolidateAsOperator(ctx.principal)),
  consolidations: readMemory.input(memoryConsolidationsInput).query(({ ctx, input }) => ctx.hub.memory.consolidations(ctx.principal, input)),
  injected: readMemory.input(memoryInjectedInput).query(({ ctx, input }) => ctx.hub.memory.injected(ctx.principal, input.taskId)),
});
