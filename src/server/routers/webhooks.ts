// webhooks.*: inbound webhooks (admin:webhooks). The secret is returned once, by create.
import {
  webhookCreatedSchema,
  webhookDeletedSchema,
  webhookDeliveryViewSchema,
  webhooksCreateInput,
  webhooksDeleteInput,
  webhooksDeliveriesInput,
  webhookViewSchema,
} from '@/lib/webhooks';
import { createRouter, withPermission } from '../trpc';

const manageWebhooks = withPermission('admin:webhooks');

export const webhooksRouter = createRouter({
  create: manageWebhooks.input(webhooksCreateInput).output(webhookCreatedSchema).mutation(({ ctx, input }) => ctx.hub.webhooks.create(ctx.principal, input)),
  list: manageWebhooks.output(webhookViewSchema.array()).query(({ ctx }) => ctx.hub.webhooks.list()),
  delete: manageWebhooks.input(webhooksDeleteInput).output(webhookDeletedSchema).mutation(({ ctx, input }) => ctx.hub.webhooks.delete(input.webhookId)),
  deliveries: manageWebhooks.input(webhooksDeliveriesInput).output(webhookDeliveryViewSchema.array()).query(({ ctx, input }) => ctx.hub.webhooks.deliveries(input.webhookId)),
});
