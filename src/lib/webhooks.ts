// Inbound webhooks (spec section 21): input schemas of the webhooks.* procedures, shared by every
// door (tRPC now, the REST edge's /api/admin/webhooks later).
import { z } from 'zod';
import { channelSchema } from './messages';
import { templateIdSchema } from './templates';

/** Requests per minute one webhook accepts (spec 21); more are refused with 429. */
export const WEBHOOK_REQUESTS_PER_MINUTE = 10;
/** An inbound body larger than this is refused (413) before it is parsed or checked. */
export const WEBHOOK_BODY_BYTES = 256 * 1024;
/** Deliveries the admin page lists per webhook. */
export const WEBHOOK_RECENT_DELIVERIES = 20;

export const webhookIdSchema = z.string().min(1).max(64);

/** A dotted path into the JSON payload: `monitor.name`, `pull_request.title`, `commits.0.id`. */
const payloadPath = z.string().regex(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,9}$/, 'must be a dotted path into the payload, such as monitor.name');

export const webhookActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chat'), channel: channelSchema.default('general') }),
  z.object({
    kind: z.literal('task'),
    templateId: templateIdSchema,
    /** Template variable → where its value is in the payload; `message` is the readable summary of the delivery. */
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/, 'must be a template variable name'), z.union([payloadPath, z.literal('message')])).default({}),
  }),
]);
export type WebhookAction = z.infer<typeof webhookActionSchema>;

/** `*`, or a comma-separated list of event names (GitHub's X-GitHub-Event, `up`/`down` for Uptime Kuma, the body's `event`). */
export const webhookEventFilterSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^(\*|[A-Za-z0-9_.-]+(\s*,\s*[A-Za-z0-9_.-]+)*)$/, 'must be * or a comma-separated list of event names')
  .default('*');

export const webhooksCreateInput = z.object({
  name: z.string().trim().min(1).max(80),
  action: webhookActionSchema,
  eventFilter: webhookEventFilterSchema,
});
export type WebhooksCreateInput = z.infer<typeof webhooksCreateInput>;

export const webhooksDeleteInput = z.object({ webhookId: webhookIdSchema });
export const webhooksDeliveriesInput = z.object({ webhookId: webhookIdSchema });

export const WEBHOOK_DELIVERY_OUTCOMES = ['accepted', 'filtered', 'rejected', 'failed'] as const;
export type WebhookDeliveryOutcome = (typeof WEBHOOK_DELIVERY_OUTCOMES)[number];
export const WEBHOOK_SOURCES = ['generic', 'github', 'uptime_kuma'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

export const webhookDeliveryViewSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  source: z.enum(WEBHOOK_SOURCES),
  event: z.string(),
  outcome: z.enum(WEBHOOK_DELIVERY_OUTCOMES),
  status: z.number().int(),
  detail: z.string(),
  taskId: z.string().nullable(),
  messageId: z.string().nullable(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;

export const webhookViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: webhookActionSchema,
  eventFilter: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** The paths to POST to, relative to the hub. */
  paths: z.object({ generic: z.string(), github: z.string() }),
  lastDelivery: webhookDeliveryViewSchema.nullable(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** webhooks.create's answer: the secret, shown only here. */
export const webhookCreatedSchema = z.object({ secret: z.string(), view: webhookViewSchema });
export const webhookDeletedSchema = z.object({ webhookId: z.string(), deleted: z.literal(true) });
