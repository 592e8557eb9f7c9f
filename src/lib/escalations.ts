// Input schemas of the escalations.* procedures: the failure chain's records.
import { z } from 'zod';

export const ESCALATION_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** The final link of every chain: the human operator. */
export const OPERATOR = 'operator';

const escalationIdSchema = z.string().min(1).max(64);

export const escalationsListInput = z.object({ status: z.enum(ESCALATION_STATUSES).optional() }).optional();
export const escalationsUpdateInput = z.object({ escalationId: escalationIdSchema });
