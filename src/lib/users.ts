// Input schemas of the users.* and account.* procedures (shared by every door).
import { z } from 'zod';
import { LIMITS } from './limits';
import { USER_ROLES } from './permissions';

export const usernameSchema = z
  .string()
  .min(1)
  .max(LIMITS.usernameLength)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, dot, underscore and dash');

export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMinLength, `must be at least ${LIMITS.passwordMinLength} characters`)
  .max(LIMITS.passwordMaxLength);

export const userRoleSchema = z.enum(USER_ROLES);
export const userIdSchema = z.string().min(1).max(64);

export const usersCreateInput = z.object({
  username: usernameSchema,
  role: userRoleSchema,
  /** Omit to have the hub generate one (returned once). */
  password: passwordSchema.optional(),
});
export const usersSetRoleInput = z.object({ userId: userIdSchema, role: userRoleSchema });
export const usersSetDisabledInput = z.object({ userId: userIdSchema, disabled: z.boolean() });
export const usersResetPasswordInput = z.object({ userId: userIdSchema });

export const accountChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(LIMITS.passwordMaxLength),
  newPassword: passwordSchema,
});

/** POST /api/login body: username and password, or a token (the master token). */
export const passwordLoginInput = z.object({
  username: z.string().min(1).max(LIMITS.usernameLength),
  password: z.string().min(1).max(LIMITS.passwordMaxLength),
});
export const masterTokenLoginInput = z.object({ token: z.string().min(1).max(512) });
export const loginInput = z.union([passwordLoginInput, masterTokenLoginInput]);
