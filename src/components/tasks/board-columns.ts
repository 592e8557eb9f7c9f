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

/**
 * Ended columns (done; failed / cancelled) would grow without end: the board shows their latest
 * few, and the column links to the list view for the rest.
 */
export const ENDED_COLUMN_IDS: readonly string[] = ['done', 'failed'];
export const ENDED_COLUMN_LIMIT = 10;

/** The columns to show: all, or those holding a filtered status. */
export function visibleColumns(statusFilter?: TaskStatus | readonly TaskStatus[]): readonly BoardColumn[] {
  const wanted = statusFilter === undefined ? [] : typeof statusFilter === 'string' ? [statusFilter] : statusFilter;
  if (wanted.length === 0) return BOARD_COLUMNS;
  return BOARD_COLUMNS.filter((column) => column.statuses.some((status) => wanted.includes(status)));
}

/** The columns to show (all, or those holding a filtered status) with their sorted tasks. */
export function groupIntoColumns<T extends SortableTask>(
  tasks: readonly T[],
  statusFilter?: TaskStatus | readonly TaskStatus[],
): { column: BoardColumn; tasks: T[] }[] {
  const columns = visibleColumns(statusFilter);
  return columns.map((column) => ({
    column,
    tasks: tasks.filter((task) => (column.statuses as readonly string[]).includes(task.status)).sort(compareInColumn(column)),
  }));
}
