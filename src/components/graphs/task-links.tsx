// A task's place in its graph, for the task detail page: the pipeline it is a step of, the
// parents it waits for and the children that wait for it (spec section 15). Renders nothing for
// a task without any. tasks.links refreshes with the task events the shell hears.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { StatusBadge } from '../tasks/badges';
import { useTRPC } from '../trpc';
import styles from './graphs.module.css';

interface LinkedTask {
  id: string;
  title: string;
  status: string;
}

export function TaskLinks({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const links = useQuery(trpc.tasks.links.queryOptions({ taskId }));
  const data = links.data;
  if (!data || (data.parents.length === 0 && data.children.length === 0 && !data.pipeline)) return null;
  return (
    <section className={`card ${styles.links}`} aria-labelledby="task-links-title">
      <h2 id="task-links-title" className={styles.title}>
        Dependencies
      </h2>
      {data.pipeline ? (
        <p className={styles.pipeline}>
          Step {data.pipeline.position + 1} of {data.pipeline.steps} in <Link href={`/pipelines/${data.pipeline.id}`}>{data.pipeline.name}</Link>
        </p>
      ) : null}
      <LinkList label="Waits for" empty="No parents" tasks={data.parents} />
      <LinkList label="Then" empty="No children" tasks={data.children} />
    </section>
  );
}

function LinkList({ label, empty, tasks }: { label: string; empty: string; tasks: LinkedTask[] }) {
  return (
    <div className={styles.group}>
      <h3 className={styles.groupTitle}>{label}</h3>
      {tasks.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className={styles.list} aria-label={label}>
          {tasks.map((task) => (
            <li key={task.id} className={styles.item}>
              <Link href={`/tasks/${task.id}`} className={styles.itemTitle}>
                {task.title}
              </Link>
              <StatusBadge status={task.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
