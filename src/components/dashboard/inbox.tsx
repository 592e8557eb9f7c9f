// The dashboard's inbox: what needs the operator first, at the top of the page. Pending
// approvals are decided in place (with a few seconds to undo before the decision is sent), open
// escalations can be acknowledged, and failed, overdue and unrunnable tasks link to their pages.
// One procedure (inbox.get) feeds it and the tab badge; live events refresh it.
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { InboxApproval, InboxEscalation, InboxTask } from '@/lib/inbox';
import { describeWaitReason } from '@/lib/wait-reasons';
import { useTRPC } from '../trpc';
import { tasksViewHref } from './tasks-link';
import { formatDateTime } from '@/lib/time-format';
import { TimeStamp } from '../time/time-stamp';
import styles from './inbox.module.css';

/** How long a decision can be taken back before it is sent. */
export const UNDO_WINDOW_MS = 5_000;

type Decision = 'approve' | 'reject';
type Outcome = 'approved' | 'rejected';

export function Inbox() {
  const trpc = useTRPC();
  const inbox = useQuery(trpc.inbox.get.queryOptions());
  // Decided here: kept on screen, saying so, after the hub no longer lists them as pending.
  const [decided, setDecided] = useState<Map<string, { approval: InboxApproval; outcome: Outcome }>>(new Map());
  const onDecided = (approval: InboxApproval, outcome: Outcome) => setDecided((current) => new Map(current).set(approval.id, { approval, outcome }));
  if (inbox.error) return <p className="error">The inbox could not be loaded: {inbox.error.message}</p>;
  const data = inbox.data;
  const listed = new Set(data?.approvals.map((approval) => approval.id));
  const approvals = [...[...decided.values()].filter((entry) => !listed.has(entry.approval.id)).map((entry) => entry.approval), ...(data?.approvals ?? [])];
  return (
    <section className={`card ${styles.inbox}`} aria-labelledby="inbox-title" id="inbox">
      <h2 id="inbox-title" className={styles.title}>
        Needs attention <span className={styles.count}>{data ? data.counts.total : '…'}</span>
      </h2>
      {!data ? <p className="muted">Loading…</p> : null}
      {data && data.counts.total === 0 && decided.size === 0 ? <p className="muted">Nothing needs you right now.</p> : null}
      {data ? (
        <div className={styles.groups}>
          <Group title="Approvals" count={data.counts.approvals} shown={approvals.length} id="inbox-approvals">
            {approvals.map((approval) => (
              <ApprovalItem key={approval.id} approval={approval} canDecide={data.canDecide} outcome={decided.get(approval.id)?.outcome ?? null} onDecided={onDecided} />
            ))}
          </Group>
          <Group title="Escalations" count={data.counts.escalations}>
            {data.escalations.map((escalation) => (
              <EscalationItem key={escalation.id} escalation={escalation} canUpdate={data.canDecide} />
            ))}
          </Group>
          <Group title="Failed in the last 24 h" count={data.counts.failed} href={tasksViewHref({ status: 'failed', since: '24h' })}>
            {data.failed.map((task) => (
              <TaskItem key={task.id} task={task} detail={task.error ?? 'failed'} />
            ))}
          </Group>
          <Group title="Overdue" count={data.counts.overdue}>
            {data.overdue.map((task) => (
              <TaskItem key={task.id} task={task} detail={task.deadline ? `due ${formatDateTime(task.deadline)}` : task.status} />
            ))}
          </Group>
          <Group title="Cannot run" count={data.counts.cannotRun} href={tasksViewHref({ status: 'queued' })}>
            {data.cannotRun.map((task) => (
              <TaskItem key={task.id} task={task} detail={task.waitReason ? describeWaitReason(task.waitReason) : 'waiting'} />
            ))}
          </Group>
        </div>
      ) : null}
    </section>
  );
}

function Group({ title, count, shown = count, href, id, children }: { title: string; count: number; shown?: number; href?: string; id?: string; children: ReactNode }) {
  if (count === 0 && shown === 0) return null;
  return (
    <div className={styles.group} id={id} role="group" aria-label={title}>
      <h3 className={styles.groupTitle}>
        {href ? <Link href={href}>{title}</Link> : title} <span className={styles.count}>{count}</span>
      </h3>
      <ul className={styles.items}>{children}</ul>
    </div>
  );
}

function TaskItem({ task, detail }: { task: InboxTask; detail: string }) {
  return (
    <li className={styles.item}>
      <div className={styles.itemText}>
        <Link href={`/tasks/${task.id}`} className={styles.itemTitle}>
          {task.title}
        </Link>
        <span className={styles.detail}>{detail}</span>
      </div>
    </li>
  );
}

function ApprovalItem({
  approval,
  canDecide,
  outcome,
  onDecided,
}: {
  approval: InboxApproval;
  canDecide: boolean;
  outcome: Outcome | null;
  onDecided: (approval: InboxApproval, outcome: Outcome) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settle = { onSettled: () => Promise.all([queryClient.invalidateQueries(trpc.inbox.pathFilter()), queryClient.invalidateQueries(trpc.approvals.pathFilter())]) };
  const approve = useMutation(trpc.approvals.approve.mutationOptions({ ...settle, onSuccess: () => onDecided(approval, 'approved') }));
  const reject = useMutation(trpc.approvals.reject.mutationOptions({ ...settle, onSuccess: () => onDecided(approval, 'rejected') }));
  const [pending, setPending] = useState<{ decision: Decision; sendAt: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!pending) return;
    setNow(Date.now());
    const tick = window.setInterval(() => setNow(Date.now()), 250);
    const send = window.setTimeout(() => {
      (pending.decision === 'approve' ? approve : reject).mutate({ approvalId: approval.id });
      setPending(null);
    }, Math.max(0, pending.sendAt - Date.now()));
    return () => {
      window.clearInterval(tick);
      window.clearTimeout(send);
    };
    // approve/reject are stable mutation objects for this item; the timer depends on the decision only.
  }, [pending, approval.id]);

  const decided = outcome;
  const error = approve.error ?? reject.error;
  const sending = approve.isPending || reject.isPending;
  return (
    <li className={styles.item} aria-label={`Approval ${approval.action}`} data-decided={decided ?? undefined}>
      <div className={styles.itemText}>
        <strong className={styles.itemTitle}>{approval.action}</strong>
        <span className={styles.detail}>
          @{approval.agentId} · expires <TimeStamp value={approval.expiresAt} />
        </span>
        {approval.description ? <p className={styles.description}>{approval.description}</p> : null}
        {error ? (
          <p className="error" role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
      {decided ? (
        <span className={styles.outcome} role="status">
          {decided}
        </span>
      ) : pending ? (
        <div className={styles.actions}>
          <span className={styles.detail} role="status">
            {pending.decision === 'approve' ? 'Approving' : 'Rejecting'} in {Math.max(0, Math.ceil((pending.sendAt - now) / 1000))} s
          </span>
          <button type="button" className="secondary" onClick={() => setPending(null)}>
            Undo
          </button>
        </div>
      ) : canDecide ? (
        <div className={styles.actions}>
          <button type="button" disabled={sending} onClick={() => setPending({ decision: 'approve', sendAt: Date.now() + UNDO_WINDOW_MS })}>
            Approve
          </button>
          <button type="button" className="secondary" disabled={sending} onClick={() => setPending({ decision: 'reject', sendAt: Date.now() + UNDO_WINDOW_MS })}>
            Reject
          </button>
        </div>
      ) : null}
    </li>
  );
}

function EscalationItem({ escalation, canUpdate }: { escalation: InboxEscalation; canUpdate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(
    trpc.escalations.acknowledge.mutationOptions({
      onSettled: () => Promise.all([queryClient.invalidateQueries(trpc.inbox.pathFilter()), queryClient.invalidateQueries(trpc.escalations.pathFilter())]),
    }),
  );
  return (
    <li className={styles.item} aria-label={`Escalation from ${escalation.fromAgent}`}>
      <div className={styles.itemText}>
        {escalation.taskId ? (
          <Link href={`/tasks/${escalation.taskId}`} className={styles.itemTitle}>
            {escalation.fromAgent} → {escalation.toAgent}
          </Link>
        ) : (
          <strong className={styles.itemTitle}>
            {escalation.fromAgent} → {escalation.toAgent}
          </strong>
        )}
        <span className={styles.detail}>{escalation.reason}</span>
        {acknowledge.error ? (
          <p className="error" role="alert">
            {acknowledge.error.message}
          </p>
        ) : null}
      </div>
      {canUpdate ? (
        <div className={styles.actions}>
          <button type="button" className="secondary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ escalationId: escalation.id })}>
            Acknowledge
          </button>
        </div>
      ) : null}
    </li>
  );
}
