// plugins.*: list the plugins (tasks:read), invoke a tool (tasks:write: what a worker holds;
// an agent token invokes as its own agent), enable or disable a plugin (admin:plugins).
import { pluginsInvokeInput, pluginsSetEnabledInput, pluginViewSchema, toolInvocationResultSchema } from '@/lib/plugins';
import { principalLabel, type Principal } from '../auth/principal';
import type { ToolCaller } from '../plugins/plugin-manager';
import { createRouter, withPermission } from '../trpc';

function toolCaller(principal: Principal): ToolCaller {
  return { agentId: principal.kind === 'agent' ? principal.agentId : null, label: principalLabel(principal) };
}

export const pluginsRouter = createRouter({
  list: withPermission('tasks:read').output(pluginViewSchema.array()).query(({ ctx }) => ctx.hub.plugins.list()),
  invoke: withPermission('tasks:write').input(pluginsInvokeInput).output(toolInvocationResultSchema).mutation(({ ctx, input }) => ctx.hub.plugins.invoke(toolCaller(ctx.principal), input)),
  setEnabled: withPermission('admin:plugins').input(pluginsSetEnabledInput).output(pluginViewSchema).mutation(({ ctx, input }) => ctx.hub.plugins.setEnabled(input.name, input.enabled)),
});
