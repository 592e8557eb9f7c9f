// The escalation a failed task raised (the failure chain's record), so the operator can follow
// it from the task: who it went to, why, and whether someone is on it.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../trpc';
import styles from './task-detail.module.css';

export function TaskEscalation({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const escalations = useQuery(trpc.escalations.list.queryOptions());
  const mine = (escalations.data ?? []).filter((escalation) => escalation.taskId === taskId);
  if (mine.length === 0) return null;
  return (
    <ul className={styles.escalations} aria-label="Escalations of this task">
      {mine.map((escalation) => (
        <li key={escalation.id} data-testid="task-escalation">
          <Link href={`/#escalation-${escalation.id}`}>
            Escalated {escalation.fromAgent} → {escalation.toAgent} ({escalation.status})
          </Link>
          <span className="muted">{escalation.reason}</span>
        </li>
      ))}
    </ul>
  );
}
