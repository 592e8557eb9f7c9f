// One task on the board: title, assignee, status, priority, urgency, deadline and confidence;
// the whole card opens the task's detail.
import Link from 'next/link';
import { WaitReasonNote } from '../wait/wait-reason-note';
import { DeadlineBadge, PlainBadge, StatusBadge, UrgencyBadge } from './badges';
import { deadlineIndicator, formatConfidence } from './format';
import type { TaskSummary } from './types';
import styles from './task-board.module.css';

export function TaskCard({ task, now }: { task: TaskSummary; now: number }) {
  const deadline = deadlineIndicator(task.deadline, task.status, now);
  return (
    <li>
      <Link href={`/tasks/${task.id}`} className={styles.card} data-urgency={task.urgency} data-task-id={task.id} aria-label={`Task ${task.title}`}>
        <span className={styles.cardTitle}>{task.title}</span>
        <span className={styles.cardMeta}>
          {task.assignedTo ? `@${task.assignedTo}` : 'unassigned'}
          {task.requiredCapability ? ` · ${task.requiredCapability}` : ''}
        </span>
        <WaitReasonNote reason={task.waitReason} compact />
        <span className={styles.cardBadges}>
          <StatusBadge status={task.status} />
          <PlainBadge title="priority">P{task.priority}</PlainBadge>
          {task.urgency !== 'low' ? <UrgencyBadge urgency={task.urgency} /> : null}
          {deadline ? <DeadlineBadge indicator={deadline} /> : null}
          {task.confidence !== null ? <PlainBadge title="confidence">conf {formatConfidence(task.confidence)}</PlainBadge> : null}
          {task.attempts > 1 ? <PlainBadge title="attempts">try {task.attempts}</PlainBadge> : null}
        </span>
      </Link>
    </li>
  );
}
