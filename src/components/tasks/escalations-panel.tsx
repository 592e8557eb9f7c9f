// Escalations still needing attention (open or acknowledged): who escalated to whom, why, for
// which task, and (for tasks:write) Acknowledge / Resolve. Refreshed by escalation_* events.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../trpc';
import { formatDateTime } from './format';
import type { Escalation } from './types';
import styles from './tasks-screen.module.css';

export function EscalationsPanel({ canUpdate }: { canUpdate: boolean }) {
  const trpc = useTRPC();
  const escalations = useQuery(trpc.escalations.list.queryOptions());
  const unresolved = (escalations.data ?? []).filter((escalation) => escalation.status !== 'resolved');
  return (
    <section className={`card ${styles.panel}`} aria-labelledby="escalations-title">
      <h2 id="escalations-title" className={styles.panelTitle}>
        Escalations <span className={styles.panelCount}>{unresolved.length}</span>
      </h2>
      {escalations.error ? <p className="error">{escalations.error.message}</p> : null}
      {escalations.isPending ? <p className="muted">Loading…</p> : null}
      {escalations.isSuccess && unresolved.length === 0 ? <p className="muted">No open escalations.</p> : null}
      <ul className={styles.items}>
        {unresolved.map((escalation) => (
          <EscalationItem key={escalation.id} escalation={escalation} canUpdate={canUpdate} />
        ))}
      </ul>
    </section>
  );
}

function EscalationItem({ escalation, canUpdate }: { escalation: Escalation; canUpdate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settle = { onSettled: () => queryClient.invalidateQueries(trpc.escalations.pathFilter()) };
  const acknowledge = useMutation(trpc.escalations.acknowledge.mutationOptions(settle));
  const resolve = useMutation(trpc.escalations.resolve.mutationOptions(settle));
  const busy = acknowledge.isPending || resolve.isPending;
  const error = acknowledge.error ?? resolve.error;
  return (
    <li className={styles.item} aria-label={`Escalation from ${escalation.fromAgent}`}>
      <div className={styles.itemText}>
        <strong>
          {escalation.fromAgent} → {escalation.toAgent}
        </strong>
        <span className="muted">
          {escalation.status} · {formatDateTime(escalation.createdAt)}
        </span>
        <p className={styles.description}>{escalation.reason}</p>
        {escalation.taskId ? (
          <Link className={styles.itemLink} href={`/tasks/${escalation.taskId}`}>
            Open the task
          </Link>
        ) : null}
        {error ? <p className="error" role="alert">{error.message}</p> : null}
      </div>
      {canUpdate ? (
        <div className={styles.actions}>
          {escalation.status === 'open' ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => acknowledge.mutate({ escalationId: escalation.id })}>
              Acknowledge
            </button>
          ) : null}
          <button type="button" disabled={busy} onClick={() => resolve.mutate({ escalationId: escalation.id })}>
            Resolve
          </button>
        </div>
      ) : null}
    </li>
  );
}
