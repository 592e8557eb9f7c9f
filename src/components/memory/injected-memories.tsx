// On a task's detail: which of the agent's memories the hub placed ahead of the prompt at each
// claim (memory.injected). Renders nothing when none were, or without memory:read.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { can, useMe } from '../shell/app-shell';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC } from '../trpc';
import styles from './memory.module.css';

export function InjectedMemories({ taskId }: { taskId: string }) {
  const me = useMe();
  const trpc = useTRPC();
  const { listen } = useLiveEvents();
  const injected = useQuery(trpc.memory.injected.queryOptions({ taskId }, { enabled: can(me, 'memory:read') }));
  const { refetch } = injected;
  // A claim records the injection in its transaction: refresh when this task is claimed.
  useEffect(() => listen((event) => void (event.type === 'task_claimed' && event.payload.taskId === taskId && refetch())), [listen, taskId, refetch]);

  const attempts = injected.data?.attempts.filter((attempt) => attempt.keys.length > 0) ?? [];
  if (attempts.length === 0) return null;
  return (
    <section className={`card ${styles.section}`} aria-labelledby="injected-title">
      <h2 id="injected-title" className={styles.sectionTitle}>
        Memories injected
      </h2>
      {attempts.map((attempt, index) => (
        <div key={attempt.attemptId} className={styles.injected}>
          <p className={styles.meta}>
            {attempts.length > 1 ? `claim ${index + 1} · ` : ''}
            <Link href={`/memory?agent=${encodeURIComponent(attempt.agentId)}`}>{attempt.agentId}</Link>
          </p>
          <ul className={styles.keys} aria-label="Injected memory keys">
            {attempt.keys.map((key) => (
              <li key={key} className={styles.keyChip}>
                {key}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
