// keys.*: third-party API keys (admin:tokens). The plain key is returned once, by create.
import { apiKeysCreateInput, apiKeysListInput, apiKeysRevokeInput } from '@/lib/api-keys';
import { createRouter, withPermission } from '../trpc';

const manageKeys = withPermission('admin:tokens');

export const apiKeysRouter = createRouter({
  create: manageKeys.input(apiKeysCreateInput).mutation(({ ctx, input }) => ctx.hub.apiKeys.create(ctx.principal, input)),
  list: manageKeys.input(apiKeysListInput).query(({ ctx, input }) => ctx.hub.apiKeys.list(input ?? {})),
  revoke: manageKeys.input(apiKeysRevokeInput).mutation(({ ctx, input }) => ctx.hub.apiKeys.revoke(input.keyId)),
});
