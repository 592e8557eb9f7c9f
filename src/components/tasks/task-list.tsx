// The list view beside the board: every task matching the filters, one row each, sortable by
// its column headers and paged on the hub (offset paging with a total), all of it in the URL.
'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { TaskSortField } from '@/lib/tasks';
import { useTRPC } from '../trpc';
import { PlainBadge, StatusBadge } from './badges';
import { TimeStamp } from '../time/time-stamp';
import type { TaskQuery } from './task-query';
import styles from './task-list.module.css';

export const LIST_PAGE_SIZE = 50;

type Filters = { agentId?: string; capability?: string; text?: string; since?: string; until?: string };

const COLUMNS: readonly { field: TaskSortField; label: string; className?: string }[] = [
  { field: 'title', label: 'Title' },
  { field: 'status', label: 'Status' },
  { field: 'priority', label: 'Priority', className: styles.narrow },
  { field: 'assignedTo', label: 'Agent', className: styles.optional },
  { field: 'createdAt', label: 'Created', className: styles.optional },
  { field: 'updatedAt', label: 'Updated' },
];

/** Text columns read best A→Z first; numbers and times biggest / newest first. */
function firstOrder(field: TaskSortField): 'asc' | 'desc' {
  return field === 'title' || field === 'status' || field === 'assignedTo' ? 'asc' : 'desc';
}

export function TaskList({ query, filters, onChange }: { query: TaskQuery; filters: Filters; onChange: (next: Partial<TaskQuery>) => void }) {
  const trpc = useTRPC();
  const offset = (query.page - 1) * LIST_PAGE_SIZE;
  const list = useQuery({
    ...trpc.tasks.list.queryOptions({
      ...filters,
      status: query.status.length > 0 ? query.status : undefined,
      sort: query.sort,
      order: query.order,
      offset,
      limit: LIST_PAGE_SIZE,
      withTotal: true,
    }),
    placeholderData: keepPreviousData,
  });
  const tasks = list.data?.tasks ?? [];
  const total = list.data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));

  function sortBy(field: TaskSortField) {
    const order = query.sort === field ? (query.order === 'asc' ? 'desc' : 'asc') : firstOrder(field);
    onChange({ sort: field, order, page: 1 });
  }

  return (
    <section className={styles.wrap} aria-label="Task list">
      {list.error ? <p className="error">{list.error.message}</p> : null}
      <div className={styles.scroller}>
        <table className={styles.table} data-testid="task-list">
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const active = query.sort === column.field;
                return (
                  <th
                    key={column.field}
                    scope="col"
                    className={column.className}
                    aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none'}
                  >
                    <button type="button" className={styles.sort} onClick={() => sortBy(column.field)}>
                      {column.label}
                      <span aria-hidden className={styles.arrow}>
                        {active ? (query.order === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-task-id={task.id}>
                <td className={styles.titleCell}>
                  <Link href={`/tasks/${task.id}`}>{task.title}</Link>
                  {task.requiredCapability ? <span className={`muted ${styles.sub}`}>{task.requiredCapability}</span> : null}
                </td>
                <td>
                  <StatusBadge status={task.status} />
                </td>
                <td className={styles.narrow}>
                  <PlainBadge title="priority">P{task.priority}</PlainBadge>
                </td>
                <td className={styles.optional}>{task.assignedTo ?? <span className="muted">—</span>}</td>
                <td className={styles.optional}>
                  <TimeStamp value={task.createdAt} />
                </td>
                <td>
                  <TimeStamp value={task.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.isSuccess && tasks.length === 0 ? <p className={`muted ${styles.none}`}>No task matches these filters.</p> : null}
      </div>
      <nav className={styles.pager} aria-label="Pages">
        <button type="button" className="secondary" disabled={query.page <= 1} onClick={() => onChange({ page: query.page - 1 })}>
          ← Newer
        </button>
        <span className="muted" data-testid="list-range">
          {total === 0 ? '0 tasks' : `${offset + 1}–${offset + tasks.length} of ${total}`}
        </span>
        <button type="button" className="secondary" disabled={query.page >= lastPage || list.data?.nextOffset == null} onClick={() => onChange({ page: query.page + 1 })}>
          Older →
        </button>
      </nav>
    </section>
  );
}
