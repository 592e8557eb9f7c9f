// One line of the logs page: time, type and a summary, coloured by family, with links to the task
// and agents it concerns; tapping it shows the full payload, wrapped so a long one never scrolls
// sideways on a phone.
'use client';
import Link from 'next/link';
import { memo, useState } from 'react';
import { OPERATOR } from '@/lib/escalations';
import type { StreamItem } from '@/lib/events';
import { tasksViewHref } from '../dashboard/tasks-link';
import { TimeStamp } from '../time/time-stamp';
import { agentsOf, summarize, toneOf } from './event-format';
import { taskOf } from './event-history';
import styles from './logs-screen.module.css';


// Memoised: rows are immutable events, so a new arrival re-renders only its own row.
export const LogRow = memo(function LogRow({ event }: { event: StreamItem }) {
  const [open, setOpen] = useState(false);
  const task = taskOf(event);
  // The operator ends escalation chains but is no agent.
  const agents = agentsOf(event).filter((agentId) => agentId !== OPERATOR);
  return (
    <li className={styles.row} data-tone={toneOf(event)} data-type={event.type}>
      <details onToggle={(toggle) => setOpen(toggle.currentTarget.open)}>
        <summary className={styles.line}>
          <TimeStamp className={styles.time} value={event.ts} mode="seconds" />
          <span className={styles.type}>{event.type}</span>
          <span className={styles.text}>{summarize(event)}</span>
        </summary>
        {open ? <pre className={styles.payload}>{JSON.stringify(event.payload, null, 2)}</pre> : null}
      </details>
      {task || agents.length > 0 ? (
        <p className={styles.refs}>
          {task ? (
            <Link href={`/tasks/${task.id}`} className={styles.ref}>
              task {task.title ? `“${task.title}”` : task.id}
            </Link>
          ) : null}
          {agents.map((agentId) => (
            <Link key={agentId} href={tasksViewHref({ agent: agentId })} className={styles.ref} title={`tasks of ${agentId}`}>
              agent {agentId}
            </Link>
          ))}
        </p>
      ) : null}
    </li>
  );
});
