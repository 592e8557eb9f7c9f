// The kanban: one column per status group, scrolling sideways inside its own container so the
// page never does (on phones a column is most of the screen wide and snaps into place).
'use client';
import type { TaskStatus } from '@/lib/tasks';
import { groupIntoColumns } from './board-columns';
import { TaskCard } from './task-card';
import type { TaskSummary } from './types';
import { useNow } from './use-now';
import styles from './task-board.module.css';

export function TaskBoard({ tasks, statusFilter }: { tasks: readonly TaskSummary[]; statusFilter?: TaskStatus }) {
  const now = useNow();
  const columns = groupIntoColumns(tasks, statusFilter);
  return (
    <div className={styles.board} role="region" aria-label="Task board" tabIndex={0}>
      {columns.map(({ column, tasks: columnTasks }) => (
        <section key={column.id} className={styles.column} data-column={column.id} aria-labelledby={`column-${column.id}`}>
          <h3 id={`column-${column.id}`} className={styles.columnTitle}>
            <span>{column.label}</span>
            <span className={styles.count}>{columnTasks.length}</span>
          </h3>
          {columnTasks.length === 0 ? (
            <p className={styles.empty}>No tasks</p>
          ) : (
            <ol className={styles.cards}>
              {columnTasks.map((task) => (
                <TaskCard key={task.id} task={task} now={now} />
              ))}
            </ol>
          )}
        </section>
      ))}
    </div>
  );
}
