// /tasks: the kanban, the new-task sheet, and the approvals and escalations panels.
import { TasksScreen } from '@/components/tasks/tasks-screen';

export default function TasksPage() {
  return <TasksScreen />;
}
