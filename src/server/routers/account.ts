// account.*: the caller's own identity, password and session (any authenticated principal).
import { accountChangePasswordInput } from '@/lib/users';
import { permissionsOf } from '../auth/principal';
import { AppError } from '../errors';
import { authenticatedProcedure, createRouter } from '../trpc';

export const accountRouter = createRouter({
  me: authenticatedProcedure.query(({ ctx }) => {
    const principal = ctx.principal;
    const name = principal.kind === 'user' ? principal.username : principal.kind === 'agent' ? principal.agentId : principal.kind === 'apiKey' || principal.kind === 'webhook' ? principal.name : 'master';
    return {
      kind: principal.kind,
      name,
      role: principal.kind === 'user' ? principal.role : principal.kind === 'master' ? 'admin' : null,
      agentId: principal.kind === 'agent' ? principal.agentId : null,
      permissions: [...permissionsOf(principal)],
    };
  }),
  changePassword: authenticatedProcedure.input(accountChangePasswordInput).mutation(async ({ ctx, input }) => {
    const principal = ctx.principal;
    if (principal.kind !== 'user') throw new AppError('bad_input', 'only a signed-in user has a password to change');
    await ctx.hub.users.changeOwnPassword(principal.userId, principal.sessionId, input.currentPassword, input.newPassword);
    return { changed: true };
  }),
  logout: authenticatedProcedure.mutation(async ({ ctx }) => {
    await ctx.hub.auth.logout(ctx.principal);
    return { loggedOut: true };
  }),
});
