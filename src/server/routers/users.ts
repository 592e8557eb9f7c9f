// users.*: dashboard accounts (admin:users).
import { usersCreateInput, usersResetPasswordInput, usersSetDisabledInput, usersSetRoleInput } from '@/lib/users';
import type { Principal } from '../auth/principal';
import { createRouter, withPermission } from '../trpc';

const manageUsers = withPermission('admin:users');

/** The user making a change to users (null for the master token or an agent token). */
const actingUserId = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null);

export const usersRouter = createRouter({
  list: manageUsers.query(({ ctx }) => ctx.hub.users.list()),
  create: manageUsers.input(usersCreateInput).mutation(({ ctx, input }) => ctx.hub.users.create(input)),
  setRole: manageUsers.input(usersSetRoleInput).mutation(({ ctx, input }) => ctx.hub.users.setRole(input.userId, input.role, actingUserId(ctx.principal))),
  setDisabled: manageUsers
    .input(usersSetDisabledInput)
    .mutation(({ ctx, input }) => ctx.hub.users.setDisabled(input.userId, input.disabled, actingUserId(ctx.principal))),
  resetPassword: manageUsers.input(usersResetPasswordInput).mutation(({ ctx, input }) => ctx.hub.users.resetPassword(input.userId)),
});
