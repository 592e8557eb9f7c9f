// webhooks.*: inbound webhooks (admin:webhooks). The secret is returned once, by create.
import { webhooksCreateInput, webhooksDeleteInput, webhooksDeliveriesInput } from '@/lib/webhooks';
import { createRouter, withPermission } from '../trpc';

const manageWebhooks = withPermission('admin:webhooks');

export const webhooksRouter = createRouter({
  create: manageWebhooks.input(webhooksCreateInput).mutation(({ ctx, input }) => ctx.hub.webhooks.create(ctx.principal, input)),
  list: manageWebhooks.query(({ ctx }) => ctx.hub.webhooks.list()),
  delete: manageWebhooks.input(webhooksDeleteInput).mutation(({ ctx, input }) => ctx.hub.webhooks.delete(input.webhookId)),
  deliveries: manageWebhooks.input(webhooksDeliveriesInput).query(({ ctx, input }) => ctx.hub.webhooks.deliveries(input.webhookId)),
});
