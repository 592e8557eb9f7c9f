// keys.*: third-party API keys (admin:tokens). The plain key is returned once, by create.
import { apiKeyCreatedSchema, apiKeysCreateInput, apiKeysListInput, apiKeysRevokeInput, apiKeyViewSchema } from '@/lib/api-keys';
import { createRouter, withPermission } from '../trpc';

const manageKeys = withPermission('admin:tokens');

export const apiKeysRouter = createRouter({
  create: manageKeys.input(apiKeysCreateInput).output(apiKeyCreatedSchema).mutation(({ ctx, input }) => ctx.hub.apiKeys.create(ctx.principal, input)),
  list: manageKeys.input(apiKeysListInput).output(apiKeyViewSchema.array()).query(({ ctx, input }) => ctx.hub.apiKeys.list(input ?? {})),
  revoke: manageKeys.input(apiKeysRevokeInput).output(apiKeyViewSchema).mutation(({ ctx, input }) => ctx.hub.apiKeys.revoke(input.keyId)),
});
