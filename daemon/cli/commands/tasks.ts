// `mesh tasks`: the most recent tasks with status icons (the spec's `tasks` command), newest first.
import { LIMITS } from '../../../src/lib/limits';
import { TASK_STATUSES } from '../../../src/lib/tasks';
import { describeWaitReason } from '../../../src/lib/wait-reasons';
import { choiceOption, integerOption } from '../args';
import type { CommandSpec } from '../command';
import { formatAge, renderTable, taskIcon, truncate } from '../format';

/** The spec's command interface lists the 10 most recent. */
const DEFAULT_LIMIT = 10;

export const tasksCommand: CommandSpec = {
  name: 'tasks',
  usage: 'tasks [--status S] [--limit N] [--why]',
  summary: 'recent tasks with status icons, newest first',
  details: [`Icons: ${TASK_STATUSES.map((status) => `${taskIcon(status)} ${status}`).join('  ')}`],
  options: [
    { name: 'status', kind: 'string', placeholder: 'S', description: `only tasks in this status: ${TASK_STATUSES.join(', ')}` },
    { name: 'limit', kind: 'string', placeholder: 'N', description: `how many (default ${DEFAULT_LIMIT}, at most ${LIMITS.listRows})` },
    { name: 'why', kind: 'boolean', description: 'say why each task that has not started is waiting' },
  ],
  async run({ hub, out, options }) {
    const status = choiceOption(options, 'status', TASK_STATUSES);
    const limit = integerOption(options, 'limit', { min: 1, max: LIMITS.listRows }) ?? DEFAULT_LIMIT;
    const page = await hub.client.tasks.list.query({ status, limit }, hub.request());
    if (page.tasks.length === 0) {
      out.line(status ? `no ${status} tasks` : 'no tasks yet: create one with mesh task "…"');
      return 0;
    }
    const now = new Date();
    const rows = page.tasks.map((task) => [
      taskIcon(task.status),
      task.id,
      task.status,
      String(task.priority),
      task.assignedTo ?? '-',
      formatAge(task.createdAt, now),
      truncate(task.title, 60),
    ]);
    for (const line of renderTable(['', 'ID', 'STATUS', 'PRI', 'AGENT', 'CREATED', 'TITLE'], rows)) out.line(line);
    if (options.why === true) {
      const waiting = page.tasks.filter((task) => task.waitReason);
      out.line('');
      if (waiting.length === 0) out.line('why waiting: none of these tasks is waiting');
      else {
        out.line('why waiting:');
        for (const line of renderTable(['ID', 'REASON'], waiting.map((task) => [task.id, describeWaitReason(task.waitReason!)]))) out.line(`  ${line}`);
      }
    }
    if (page.nextCursor) out.note(`(showing the newest ${page.tasks.length}; raise --limit for more)`);
    return 0;
  },
};
