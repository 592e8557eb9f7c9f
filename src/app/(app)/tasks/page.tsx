// /tasks: the kanban or the list view (state in the URL query), the new-task sheet, and the
// approvals and escalations panels. Suspense: the screen reads the URL's search params.
import { Suspense } from 'react';
import { TasksScreen } from '@/components/tasks/tasks-screen';

export default function TasksPage() {
  return (
    <Suspense>
      <TasksScreen />
    </Suspense>
  );
}
