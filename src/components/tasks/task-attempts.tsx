// A task's attempts, newest last: who ran each, its outcome, how long it took, and its own error
// (the task's error field holds only the last one).
import { StatusBadge } from './badges';
import { TimeStamp } from '../time/time-stamp';
import { formatSpan } from './format';
import { Elapsed } from './task-elapsed';
import type { TaskDetail } from './types';
import styles from './task-detail.module.css';

export function Attempts({ task }: { task: TaskDetail }) {
  return (
    <section className={`card ${styles.section}`} aria-labelledby="attempts-title">
      <h2 id="attempts-title" className={styles.sectionTitle}>
        Attempts
      </h2>
      {task.attemptHistory.length === 0 ? <p className="muted">Not claimed by a worker yet.</p> : null}
      <ol className={styles.list}>
        {task.attemptHistory.map((attempt) => (
          <li key={attempt.id} className={styles.listItem} data-testid="attempt">
            <span className={styles.listMain}>
              #{attempt.number} @{attempt.agentId}
            </span>
            <StatusBadge status={attempt.status} />
            <span className={`muted ${styles.listNote}`}>
              <TimeStamp value={attempt.startedAt} mode="seconds" />
              {' · '}
              {attempt.endedAt ? formatSpan(Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt)) : attempt.status === 'running' ? <Elapsed since={attempt.startedAt} /> : null}
            </span>
            {attempt.error ? <pre className={`${styles.attemptError} error`}>{attempt.error}</pre> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
