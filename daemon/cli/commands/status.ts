// `mesh status`: the hub's health, who the token is, agents by state with their slots, open
// tasks by status and today's cost. A section the token may not read is skipped with a note.
import { LIMITS } from '../../../src/lib/limits';
import { OPEN_TASK_STATUSES } from '../../../src/lib/tasks';
import type { CommandSpec } from '../command';
import { CommandFailure, httpStatusOf, oneLine } from '../errors';
import { formatAge, formatDuration, formatUsd, renderTable } from '../format';

/** A section's data, or why the token may not see it (403). */
type Section<T> = { ok: true; value: T } | { ok: false; denied: string };

async function section<T>(call: Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (httpStatusOf(error) !== 403) throw error;
    return { ok: false, denied: oneLine(error instanceof Error ? error.message : String(error)) };
  }
}

const LABEL_WIDTH = 8;
const label = (name: string) => name.padEnd(LABEL_WIDTH);
const indent = ' '.repeat(LABEL_WIDTH);

export const statusCommand: CommandSpec = {
  name: 'status',
  usage: 'status',
  summary: 'hub health, agents online/busy/offline with their slots, open tasks, today’s cost',
  details: ['Exits 1 when the hub reports degraded health, so scripts can use it as a check.'],
  options: [],
  async run({ hub, out }) {
    const client = hub.client;
    const health = await hub.health();
    const me = await client.account.me.query(undefined, hub.request());
    const [agents, openTasks, costs] = await Promise.all([
      section(client.agents.list.query(undefined, hub.request())),
      section(
        Promise.all(
          OPEN_TASK_STATUSES.map(async (status) => {
            const page = await client.tasks.list.query({ status, limit: LIMITS.listRows }, hub.request());
            return { status, count: `${page.tasks.length}${page.nextCursor ? '+' : ''}` };
          }),
        ),
      ),
      section(client.costs.summary.query({ days: 1 }, hub.request())),
    ]);

    out.line(`${label('hub')}${hub.displayUrl}  ${health.status} (version ${health.version}, up ${formatDuration(health.uptimeSeconds)}, database ${health.database})`);
    const who = me.kind === 'agent' ? `agent token for ${me.agentId}` : me.kind === 'user' ? `user ${me.name} (${me.role})` : me.kind === 'apiKey' ? `API key ${me.name}` : 'master token';
    out.line(`${label('as')}${who}, ${me.permissions.length} permissions`);

    if (agents.ok) {
      const count = (status: string) => agents.value.filter((agent) => agent.status === status).length;
      out.line(`${label('agents')}${count('online')} online, ${count('busy')} busy, ${count('offline')} offline`);
      const now = new Date();
      const rows = agents.value.map((agent) => [
        agent.id,
        agent.status,
        `${agent.activeTasks}/${agent.maxConcurrent} slots`,
        agent.status === 'offline' ? `last seen ${formatAge(agent.lastHeartbeatAt, now)}` : agent.capabilities.join(',') || '-',
      ]);
      if (rows.length > 0) for (const line of renderTable(['', '', '', ''], rows).slice(1)) out.line(`${indent}${line}`);
    } else {
      out.line(`${label('agents')}(not shown: ${agents.denied})`);
    }

    if (openTasks.ok) {
      out.line(`${label('tasks')}${openTasks.value.map(({ status, count }) => `${count} ${status}`).join(', ')}`);
    } else {
      out.line(`${label('tasks')}(not shown: ${openTasks.denied})`);
    }

    if (costs.ok) {
      // An agent token without admin:analytics is shown its own agent's costs only.
      const scope = costs.value.agentId ? ` for ${costs.value.agentId}` : '';
      out.line(`${label('cost')}${formatUsd(costs.value.todayCostUsd)} today${scope} (UTC day)`);
    } else {
      out.line(`${label('cost')}(not shown: ${costs.denied})`);
    }

    if (health.status !== 'ok') throw new CommandFailure(`the hub reports ${health.status} health (database ${health.database})`);
    return 0;
  },
};
