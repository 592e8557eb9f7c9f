// Task references in the chat show the task's title: the conversation collects the ids its
// messages name and asks tasks.list for them in one request; each reference reads the answer
// from this context (and shows a short id until it arrives, or when the task is not visible).
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { LIMITS } from '@/lib/limits';
import { useTRPC } from '../trpc';
import { taskIdsIn } from './message-tokens';
import styles from './chat.module.css';

type Titles = ReadonlyMap<string, { title: string; status: string }>;

const TaskTitles = createContext<Titles>(new Map());

export function TaskTitlesProvider({ texts, enabled, children }: { texts: readonly string[]; enabled: boolean; children: ReactNode }) {
  const trpc = useTRPC();
  const ids = useMemo(() => [...new Set(texts.flatMap(taskIdsIn))].sort().slice(-LIMITS.listRows), [texts]);
  const tasks = useQuery({ ...trpc.tasks.list.queryOptions({ ids, limit: LIMITS.listRows }), enabled: enabled && ids.length > 0 });
  const titles = useMemo<Titles>(() => new Map((tasks.data?.tasks ?? []).map((task) => [task.id, { title: task.title, status: task.status }])), [tasks.data]);
  return <TaskTitles.Provider value={titles}>{children}</TaskTitles.Provider>;
}

export function TaskReference({ taskId }: { taskId: string }) {
  const task = useContext(TaskTitles).get(taskId);
  return (
    <Link href={`/tasks/${taskId}`} className={styles.taskRef} title={task ? `${task.title} (${task.status})` : `task ${taskId}`} data-task-ref={taskId}>
      {task ? task.title : `task ${taskId.slice(-8)}`}
    </Link>
  );
}
