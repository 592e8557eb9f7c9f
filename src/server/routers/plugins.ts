// plugins.*: list the plugins (tasks:read), invoke a tool (tasks:write: what a worker holds;
// an agent token invokes as its own agent), enable or disable a plugin (admin:plugins).
import { pluginsInvokeInput, pluginsSetEnabledInput } from '@/lib/plugins';
import { principalLabel, type Principal } from '../auth/principal';
import type { ToolCaller } from '../plugins/plugin-manager';
import { createRouter, withPermission } from '../trpc';

function toolCaller(principal: Principal): ToolCaller {
  return { agentId: principal.kind === 'agent' ? principal.agentId : null, label: principalLabel(principal) };
}

export const pluginsRouter = createRouter({
  list: withPermission('tasks:read').query(({ ctx }) => ctx.hub.plugins.list()),
  invoke: withPermission('tasks:write').input(pluginsInvokeInput).mutation(({ ctx, input }) => ctx.hub.plugins.invoke(toolCaller(ctx.principal), input)),
  setEnabled: withPermission('admin:plugins').input(pluginsSetEnabledInput).mutation(({ ctx, input }) => ctx.hub.plugins.setEnabled(input.name, input.enabled)),
});
