// users.*: dashboard accounts (admin:users).
import { usersCreateInput, usersResetPasswordInput, usersSetDisabledInput, usersSetRoleInput } from '@/lib/users';
import { createRouter, withPermission } from '../trpc';

const manageUsers = withPermission('admin:users');

export const usersRouter = createRouter({
  list: manageUsers.query(({ ctx }) => ctx.hub.users.list()),
  create: manageUsers.input(usersCreateInput).mutation(({ ctx, input }) => ctx.hub.users.create(input)),
  setRole: manageUsers.input(usersSetRoleInput).mutation(({ ctx, input }) => ctx.hub.users.setRole(input.userId, input.role)),
  setDisabled: manageUsers
    .input(usersSetDisabledInput)
    .mutation(({ ctx, input }) => ctx.hub.users.setDisabled(input.userId, input.disabled)),
  resetPassword: manageUsers.input(usersResetPasswordInput).mutation(({ ctx, input }) => ctx.hub.users.resetPassword(input.userId)),
});
