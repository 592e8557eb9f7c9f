// Pending approvals: what an agent wants to do and why, when the request expires, and (for
// tasks:write) Approve / Reject. Refreshed by approval_* events through the shell.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { formatSpan } from './format';
import type { Approval } from './types';
import { useNow } from './use-now';
import styles from './tasks-screen.module.css';

export function ApprovalsPanel({ canDecide }: { canDecide: boolean }) {
  const trpc = useTRPC();
  const approvals = useQuery(trpc.approvals.list.queryOptions({ status: 'pending' }));
  const pending = approvals.data ?? [];
  return (
    <section className={`card ${styles.panel}`} aria-labelledby="approvals-title">
      <h2 id="approvals-title" className={styles.panelTitle}>
        Approvals <span className={styles.panelCount}>{pending.length}</span>
      </h2>
      {approvals.error ? <p className="error">{approvals.error.message}</p> : null}
      {approvals.isPending ? <p className="muted">Loading…</p> : null}
      {approvals.isSuccess && pending.length === 0 ? <p className="muted">No pending approvals.</p> : null}
      <ul className={styles.items}>
        {pending.map((approval) => (
          <ApprovalItem key={approval.id} approval={approval} canDecide={canDecide} />
        ))}
      </ul>
    </section>
  );
}

function ApprovalItem({ approval, canDecide }: { approval: Approval; canDecide: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const settle = { onSettled: () => queryClient.invalidateQueries(trpc.approvals.pathFilter()) };
  const approve = useMutation(trpc.approvals.approve.mutationOptions(settle));
  const reject = useMutation(trpc.approvals.reject.mutationOptions(settle));
  const busy = approve.isPending || reject.isPending;
  const error = approve.error ?? reject.error;
  const remaining = Date.parse(approval.expiresAt) - now;
  return (
    <li className={styles.item} aria-label={`Approval ${approval.action}`}>
      <div className={styles.itemText}>
        <strong>{approval.action}</strong>
        <span className="muted">
          @{approval.agentId} · {remaining > 0 ? `expires in ${formatSpan(remaining)}` : 'expiring'}
        </span>
        {approval.description ? <p className={styles.description}>{approval.description}</p> : null}
        {error ? <p className="error" role="alert">{error.message}</p> : null}
      </div>
      {canDecide ? (
        <div className={styles.actions}>
          <button type="button" disabled={busy} onClick={() => approve.mutate({ approvalId: approval.id })}>
            Approve
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => reject.mutate({ approvalId: approval.id })}>
            Reject
          </button>
        </div>
      ) : null}
    </li>
  );
}
