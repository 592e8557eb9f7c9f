// The detail's actions for principals with tasks:write: Cancel (open tasks, after a confirmation:
// the worker stops the model mid-run), Retry (failed or cancelled tasks, same task again) and
// Re-run (any task: a new task with the same fields, the original untouched).
'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { OPEN_TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import { useTRPC } from '../trpc';
import styles from './task-detail.module.css';

export function TaskActions({ taskId, status }: { taskId: string; status: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const settle = { onSettled: () => queryClient.invalidateQueries(trpc.tasks.pathFilter()) };
  const cancel = useMutation(trpc.tasks.cancel.mutationOptions({ ...settle, onSuccess: () => setConfirmingCancel(false) }));
  const retry = useMutation(trpc.tasks.retry.mutationOptions(settle));
  const duplicate = useMutation(trpc.tasks.duplicate.mutationOptions({ ...settle, onSuccess: (copy) => router.push(`/tasks/${copy.id}`) }));
  const open = OPEN_TASK_STATUSES.includes(status as TaskStatus);
  const retryable = status === 'failed' || status === 'cancelled';
  const error = cancel.error ?? retry.error ?? duplicate.error;
  return (
    <div className={styles.actions}>
      {open && !confirmingCancel ? (
        <button type="button" className="secondary" onClick={() => setConfirmingCancel(true)}>
          Cancel task
        </button>
      ) : null}
      {open && confirmingCancel ? (
        <div className={styles.confirm} role="alertdialog" aria-labelledby={`cancel-${taskId}`}>
          <span id={`cancel-${taskId}`}>Cancel this task? Its worker stops now.</span>
          <button type="button" className={styles.danger} disabled={cancel.isPending} onClick={() => cancel.mutate({ taskId })}>
            {cancel.isPending ? 'Cancelling…' : 'Yes, cancel'}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmingCancel(false)}>
            Keep it
          </button>
        </div>
      ) : null}
      {retryable ? (
        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate({ taskId })}>
          {retry.isPending ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
      <button
        type="button"
        className="secondary"
        disabled={duplicate.isPending}
        onClick={() => duplicate.mutate({ taskId })}
        title="Re-run as a new task with the same title, prompt, priority, capability and agent; this one stays as it is"
        aria-label="Re-run as a new task"
      >
        {duplicate.isPending ? 'Creating…' : 'Re-run'}
      </button>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
