// Input schemas of the approvals.* procedures: requests an agent makes and an operator decides.
import { z } from 'zod';
import { LIMITS } from './limits';
import { agentIdSchema, boundedText } from './schemas';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const APPROVAL_TIMEOUT_SECONDS = { min: 10, max: 86_400, default: 3_600 } as const;

const approvalIdSchema = z.string().min(1).max(64);

export const approvalsCreateInput = z.object({
  action: z.string().min(1).max(LIMITS.labelLength),
  description: boundedText('messageBytes').default(''),
  timeoutSeconds: z
    .number()
    .int()
    .min(APPROVAL_TIMEOUT_SECONDS.min)
    .max(APPROVAL_TIMEOUT_SECONDS.max)
    .default(APPROVAL_TIMEOUT_SECONDS.default),
  /** The agent asking. An agent token asks for its own agent (omit it, or name that agent); others must name one. */
  agentId: agentIdSchema.optional(),
});
export type ApprovalsCreateInput = z.infer<typeof approvalsCreateInput>;

export const approvalsListInput = z.object({ status: z.enum(APPROVAL_STATUSES).optional() }).optional();
export const approvalsDecideInput = z.object({ approvalId: approvalIdSchema });
