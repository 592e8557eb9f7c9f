// agents.*: the registry. Agents register and heartbeat as themselves; operators list and update.
import { agentsGetInput, agentsGoOfflineInput, agentsHeartbeatInput, agentsRegisterInput, agentsUpdateInput } from '@/lib/agents';
import { createRouter, withPermission } from '../trpc';

export const agentsRouter = createRouter({
  register: withPermission('tasks:write')
    .input(agentsRegisterInput)
    .mutation(({ ctx, input }) => ctx.hub.agents.register(ctx.principal, input)),
  heartbeat: withPermission('tasks:write')
    .input(agentsHeartbeatInput)
    .mutation(({ ctx, input }) => ctx.hub.agents.heartbeat(ctx.principal, input)),
  goOffline: withPermission('tasks:write')
    .input(agentsGoOfflineInput)
    .mutation(({ ctx, input }) => ctx.hub.agents.goOffline(ctx.principal, input)),
  list: withPermission('agents:read').query(({ ctx }) => ctx.hub.agents.list(ctx.principal)),
  get: withPermission('agents:read').input(agentsGetInput).query(({ ctx, input }) => ctx.hub.agents.get(input.agentId, ctx.principal)),
  update: withPermission('agents:write').input(agentsUpdateInput).mutation(({ ctx, input }) => ctx.hub.agents.update(input)),
});
