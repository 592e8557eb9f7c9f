// The kanban's columns and how tasks are sorted into them (pure, unit-tested).
import type { TaskStatus } from '@/lib/tasks';

export interface BoardColumn {
  id: string;
  label: string;
  statuses: readonly TaskStatus[];
}

/** Failed and cancelled share a column: both are ended work an operator may retry. */
export const BOARD_COLUMNS: readonly BoardColumn[] = [
  { id: 'queued', label: 'Queued', statuses: ['queued'] },
  { id: 'assigned', label: 'Assigned', statuses: ['assigned'] },
  { id: 'running', label: 'Running', statuses: ['running'] },
  { id: 'done', label: 'Done', statuses: ['done'] },
  { id: 'failed', label: 'Failed / cancelled', statuses: ['failed', 'cancelled'] },
  { id: 'suspended', label: 'Suspended', statuses: ['suspended'] },
];

interface SortableTask {
  status: string;
  priority: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Open columns list work in the order the dispatcher takes it (priority, then oldest first);
 * ended columns list the latest outcome first.
 */
function compareInColumn(column: BoardColumn) {
  const open = column.statuses.some((status) => status === 'queued' || status === 'assigned' || status === 'running');
  return (a: SortableTask, b: SortableTask) => {
    if (open) return b.priority - a.priority || a.createdAt.localeCompare(b.createdAt);
    return b.updatedAt.localeCompare(a.updatedAt);
  };
}

/** The columns to show (all, or those holding the filtered status) with their sorted tasks. */
export function groupIntoColumns<T extends SortableTask>(tasks: readonly T[], statusFilter?: TaskStatus): { column: BoardColumn; tasks: T[] }[] {
  const columns = statusFilter ? BOARD_COLUMNS.filter((column) => column.statuses.includes(statusFilter)) : BOARD_COLUMNS;
  return columns.map((column) => ({
    column,
    tasks: tasks.filter((task) => (column.statuses as readonly string[]).includes(task.status)).sort(compareInColumn(column)),
  }));
}
