// How tasks and agents are shown to clients and in events.
import type { AgentEventView, TaskEventView } from '@/lib/events';

export interface TaskRow {
  id: string;
  title: string;
  status: string;
  priority: number;
  urgency: string;
  assignedTo: string | null;
  requiredCapability: string | null;
}

export function taskEventView(task: TaskRow): TaskEventView {
  return {
    taskId: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    urgency: task.urgency,
    assignedTo: task.assignedTo,
    requiredCapability: task.requiredCapability,
  };
}

export const taskEventSelect = {
  id: true,
  title: true,
  status: true,
  priority: true,
  urgency: true,
  assignedTo: true,
  requiredCapability: true,
} as const;

export function agentEventView(agent: { id: string; name: string; status: string; activeTasks: number; maxConcurrent: number }): AgentEventView {
  return { agentId: agent.id, name: agent.name, status: agent.status, activeTasks: agent.activeTasks, maxConcurrent: agent.maxConcurrent };
}

/** Task events are visible with tasks:read; those about one agent are scoped to it. */
export function taskScope(task: { assignedTo: string | null }) {
  return { permission: 'tasks:read' as const, agentId: task.assignedTo };
}
