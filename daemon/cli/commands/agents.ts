// `mesh agents`: every registered agent with its state, kind, slots, capabilities and breaker.
import type { CommandSpec } from '../command';
import { formatAge, renderTable, truncate } from '../format';

export const agentsCommand: CommandSpec = {
  name: 'agents',
  usage: 'agents',
  summary: 'a table of agents: status, kind, slots in use, capabilities, circuit breaker',
  options: [],
  async run({ hub, out }) {
    const agents = await hub.client.agents.list.query(undefined, hub.request());
    if (agents.length === 0) {
      out.line('no agents yet: start a worker, or register one with an agent token');
      return 0;
    }
    const now = new Date();
    const rows = agents.map((agent) => [
      agent.id,
      agent.status,
      agent.kind,
      `${agent.activeTasks}/${agent.maxConcurrent}`,
      truncate(agent.capabilities.join(',') || '-', 40),
      agent.breaker.state === 'closed' ? 'closed' : `${agent.breaker.state.replaceAll('_', '-')} (${agent.breaker.consecutiveFailures} failures)`,
      formatAge(agent.lastHeartbeatAt, now),
    ]);
    for (const line of renderTable(['ID', 'STATUS', 'KIND', 'SLOTS', 'CAPABILITIES', 'BREAKER', 'SEEN'], rows)) out.line(line);
    return 0;
  },
};
