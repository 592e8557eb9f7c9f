// templates.*: task templates with `{variable}` placeholders (spec section 16), and dispatching one.
import { templatesCreateInput, templatesDeleteInput, templatesDispatchInput, templatesGetInput, templatesUpdateInput } from '@/lib/templates';
import { createRouter, withPermission } from '../trpc';

const readTemplates = withPermission('tasks:read');
const writeTemplates = withPermission('tasks:write');

export const templatesRouter = createRouter({
  list: readTemplates.query(({ ctx }) => ctx.hub.templates.list()),
  get: readTemplates.input(templatesGetInput).query(({ ctx, input }) => ctx.hub.templates.get(input.templateId)),
  create: writeTemplates.input(templatesCreateInput).mutation(({ ctx, input }) => ctx.hub.templates.create(ctx.principal, input)),
  update: writeTemplates.input(templatesUpdateInput).mutation(({ ctx, input }) => ctx.hub.templates.update(input)),
  delete: writeTemplates.input(templatesDeleteInput).mutation(({ ctx, input }) => ctx.hub.templates.delete(input.templateId)),
  dispatch: writeTemplates.input(templatesDispatchInput).mutation(({ ctx, input }) => ctx.hub.templates.dispatch(ctx.principal, input)),
});
