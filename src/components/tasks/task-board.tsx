// The kanban: one column per status group, scrolling sideways inside its own container so the
// page never does (on phones a column is most of the screen wide and snaps into place). Open work
// comes in one query; each ended column (done, failed / cancelled) asks for its latest few and
// links to the list view for the rest, so it no longer grows without end. Empty columns collapse.
'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { TaskStatus } from '@/lib/tasks';
import { useTRPC } from '../trpc';
import { ENDED_COLUMN_IDS, ENDED_COLUMN_LIMIT, groupIntoColumns, visibleColumns, type BoardColumn } from './board-columns';
import { TaskCard } from './task-card';
import { taskQueryString, type TaskQuery } from './task-query';
import type { TaskSummary } from './types';
import styles from './task-board.module.css';

/** Open work shown at most (the dispatcher's queue is rarely longer; the list view pages the rest). */
const OPEN_LIMIT = 200;

type Filters = { agentId?: string; capability?: string; text?: string; since?: string; until?: string };

/** The statuses of `column` the filter lets through. */
function statusesOf(column: BoardColumn, filter: readonly TaskStatus[]): TaskStatus[] {
  return column.statuses.filter((status) => filter.length === 0 || filter.includes(status));
}

export function TaskBoard({ query, filters, now }: { query: TaskQuery; filters: Filters; now: number }) {
  const trpc = useTRPC();
  const columns = visibleColumns(query.status);
  const openStatuses = columns.filter((column) => !ENDED_COLUMN_IDS.includes(column.id)).flatMap((column) => statusesOf(column, query.status));
  const open = useQuery({
    ...trpc.tasks.list.queryOptions({ ...filters, status: openStatuses.length > 0 ? openStatuses : undefined, limit: OPEN_LIMIT }),
    enabled: openStatuses.length > 0,
    placeholderData: keepPreviousData,
  });
  const ended = (id: string) => {
    const column = columns.find((candidate) => candidate.id === id);
    const statuses = column ? statusesOf(column, query.status) : [];
    return { statuses, options: trpc.tasks.list.queryOptions({ ...filters, status: statuses.length > 0 ? statuses : undefined, sort: 'updatedAt', limit: ENDED_COLUMN_LIMIT, withTotal: true }) };
  };
  const doneQuery = ended('done');
  const failedQuery = ended('failed');
  const done = useQuery({ ...doneQuery.options, enabled: doneQuery.statuses.length > 0, placeholderData: keepPreviousData });
  const failed = useQuery({ ...failedQuery.options, enabled: failedQuery.statuses.length > 0, placeholderData: keepPreviousData });

  const results = { open, done, failed };
  const error = open.error ?? done.error ?? failed.error;
  const tasks: TaskSummary[] = [...(open.data?.tasks ?? []), ...(done.data?.tasks ?? []), ...(failed.data?.tasks ?? [])];
  const totals: Record<string, number | null> = { done: done.data?.total ?? null, failed: failed.data?.total ?? null };
  const grouped = groupIntoColumns(tasks, query.status);

  return (
    <>
      {error ? <p className="error">{error.message}</p> : null}
      <div className={styles.board} role="region" aria-label="Task board" tabIndex={0} data-loading={Object.values(results).some((result) => result.isPending && result.fetchStatus !== 'idle') || undefined}>
        {grouped.map(({ column, tasks: columnTasks }) => {
          const total = ENDED_COLUMN_IDS.includes(column.id) ? (totals[column.id] ?? columnTasks.length) : columnTasks.length;
          const hidden = total - columnTasks.length;
          const listLink = `/tasks${taskQueryString({ ...query, view: 'list', status: statusesOf(column, query.status), sort: 'updatedAt', order: 'desc', page: 1 })}`;
          return (
            <section
              key={column.id}
              className={styles.column}
              data-column={column.id}
              data-empty={columnTasks.length === 0 || undefined}
              aria-labelledby={`column-${column.id}`}
            >
              <h3 id={`column-${column.id}`} className={styles.columnTitle}>
                <span>{column.label}</span>
                <span className={styles.count}>{total}</span>
              </h3>
              {columnTasks.length === 0 ? null : (
                <ol className={styles.cards}>
                  {columnTasks.map((task) => (
                    <TaskCard key={task.id} task={task} now={now} />
                  ))}
                </ol>
              )}
              {hidden > 0 ? (
                <Link className={styles.more} href={listLink}>
                  Show all {total} in the list →
                </Link>
              ) : null}
            </section>
          );
        })}
      </div>
    </>
  );
}
