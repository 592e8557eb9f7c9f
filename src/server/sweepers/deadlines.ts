// Sweeper (every 60 s): each pass steps an overdue unfinished task's urgency one level
// (low → medium → high → critical), bumps its priority, and sends the deadline alert once per step.
import { MAX_PRIORITY, PRIORITY_BUMP, URGENCIES, type Urgency } from '@/lib/tasks';
import type { Hub } from '../hub';
import { taskEventView, taskScope } from '../services/tasks/task-views';

export async function sweepDeadlines(hub: Hub, now: Date): Promise<number> {
  const overdue = await hub.db.task.findMany({
    where: { deadline: { lt: now }, status: { in: ['queued', 'assigned', 'running'] }, urgency: { not: 'critical' } },
    take: 500,
  });
  let raised = 0;
  for (const task of overdue) {
    const next = URGENCIES[URGENCIES.indexOf(task.urgency as Urgency) + 1];
    if (!next) continue;
    const changed = await hub.db.task.updateMany({
      where: { id: task.id, urgency: task.urgency },
      data: { urgency: next, priority: Math.min(MAX_PRIORITY, task.priority + PRIORITY_BUMP) },
    });
    if (changed.count === 0) continue;
    raised += 1;
    const updated = await hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    await hub.events.publish('task_urgency_raised', taskEventView(updated), taskScope(updated));
    await hub.alerts.send({
      kind: 'deadline',
      dedupKey: `${task.id}:${next}`,
      title: `Overdue (${next}): ${task.title}`,
      message: `"${task.title}" passed its deadline ${task.deadline?.toISOString()}; urgency is now ${next}.`,
      priority: next === 'critical' ? 5 : 4,
    });
  }
  if (raised > 0) hub.dispatcher.request();
  return raised;
}
