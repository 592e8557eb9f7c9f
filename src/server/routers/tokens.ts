// tokens.*: agent tokens (admin:tokens). The plain token is returned once, by create.
import { tokensCreateInput, tokensListInput, tokensRevokeInput } from '@/lib/tokens';
import { createRouter, withPermission } from '../trpc';

const manageTokens = withPermission('admin:tokens');

export const tokensRouter = createRouter({
  create: manageTokens.input(tokensCreateInput).mutation(({ ctx, input }) => ctx.hub.tokens.create(ctx.principal, input)),
  list: manageTokens.input(tokensListInput).query(({ ctx, input }) => ctx.hub.tokens.list(input ?? {})),
  revoke: manageTokens.input(tokensRevokeInput).mutation(({ ctx, input }) => ctx.hub.tokens.revoke(input.tokenId)),
});
