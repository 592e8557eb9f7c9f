// The demo's task panels: counts by status (as bars) and the statuses of the latest tasks.
// Tasks are shown by status and agent only: titles, prompts and outputs are never sent here.
import type { DemoSnapshot } from '@/lib/demo';
import { TASK_STATUSES } from '@/lib/tasks';
import { timeAgo } from './demo-snapshot';
import styles from './demo.module.css';

export function DemoTaskCounts({ counts }: { counts: DemoSnapshot['taskCounts'] }) {
  const largest = Math.max(1, ...TASK_STATUSES.map((status) => counts[status]));
  return (
    <ul className={styles.counts} aria-label="Tasks by status">
      {TASK_STATUSES.map((status) => (
        <li key={status} className={styles.countRow} aria-label={`${status}: ${counts[status]}`}>
          <span className={`${styles.badge} ${styles.statusTone}`} data-task-status={status}>
            {status}
          </span>
          <span className={styles.bar} aria-hidden>
            <span className={`${styles.barFill} ${styles.statusTone}`} data-task-status={status} style={{ width: `${(counts[status] / largest) * 100}%` }} />
          </span>
          <span className={styles.countValue}>{counts[status]}</span>
        </li>
      ))}
    </ul>
  );
}

export function DemoRecentTasks({ snapshot }: { snapshot: DemoSnapshot }) {
  if (snapshot.recentTasks.length === 0) return <p className={styles.empty}>No tasks yet.</p>;
  return (
    <ol className={styles.recent} aria-label="Recent tasks">
      {snapshot.recentTasks.map((task, index) => (
        <li key={`${task.updatedAt}-${index}`} className={styles.recentRow}>
          <span className={`${styles.badge} ${styles.statusTone}`} data-task-status={task.status}>
            {task.status}
          </span>
          <span className={styles.recentAgent}>{task.agentId ? `on ${task.agentId}` : 'unassigned'}</span>
          <time className={styles.meta} dateTime={task.updatedAt}>
            {timeAgo(task.updatedAt, snapshot.generatedAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}
