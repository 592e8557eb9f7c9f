// Cancel (open tasks) and Retry (failed or cancelled tasks) for principals with tasks:write.
'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { OPEN_TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import { useTRPC } from '../trpc';
import styles from './task-detail.module.css';

export function TaskActions({ taskId, status }: { taskId: string; status: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settle = { onSettled: () => queryClient.invalidateQueries(trpc.tasks.pathFilter()) };
  const cancel = useMutation(trpc.tasks.cancel.mutationOptions(settle));
  const retry = useMutation(trpc.tasks.retry.mutationOptions(settle));
  const open = OPEN_TASK_STATUSES.includes(status as TaskStatus);
  const retryable = status === 'failed' || status === 'cancelled';
  const error = cancel.error ?? retry.error;
  if (!open && !retryable) return null;
  return (
    <div className={styles.actions}>
      {open ? (
        <button type="button" className="secondary" disabled={cancel.isPending} onClick={() => cancel.mutate({ taskId })}>
          {cancel.isPending ? 'Cancelling…' : 'Cancel task'}
        </button>
      ) : null}
      {retryable ? (
        <button type="button" disabled={retry.isPending} onClick={() => retry.mutate({ taskId })}>
          {retry.isPending ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
