// Input schemas of the tokens.* procedures.
import { z } from 'zod';
import { LIMITS } from './limits';
import { PERMISSIONS, PRESET_NAMES } from './permissions';
import { agentIdSchema } from './schemas';

/** A preset, or an explicit permission list (empty = no access); exactly one of the two. */
export const tokensCreateInput = z
  .object({
    agentId: agentIdSchema,
    label: z.string().max(LIMITS.labelLength).optional(),
    preset: z.enum(PRESET_NAMES).optional(),
    permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).optional(),
  })
  .refine((input) => (input.preset === undefined) !== (input.permissions === undefined), {
    message: 'give either a preset or a permission list, not both or neither',
    path: ['preset'],
  });
export type TokensCreateInput = z.infer<typeof tokensCreateInput>;

export const tokensListInput = z.object({ agentId: agentIdSchema.optional(), includeRevoked: z.boolean().optional() }).optional();
export const tokensRevokeInput = z.object({ tokenId: z.string().min(1).max(64) });
