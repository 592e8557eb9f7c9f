// /pipelines: the newest pipelines, each with its state and a dot per step.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { can, useMe } from '../shell/app-shell';
import { PlainBadge } from '../tasks/badges';
import { useTRPC } from '../trpc';
import { NewPipelineForm } from './new-pipeline-form';
import { usePipelineRefresh } from './use-pipeline-refresh';
import styles from './graphs.module.css';

export function PipelinesScreen() {
  const trpc = useTRPC();
  const me = useMe();
  usePipelineRefresh();
  const pipelines = useQuery(trpc.pipelines.list.queryOptions({ limit: 100 }));
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1>Pipelines</h1>
        <Link href="/tasks" className={styles.back}>
          Tasks
        </Link>
      </header>
      {can(me, 'tasks:write') ? <NewPipelineForm /> : null}
      {pipelines.error ? <p className="error">{pipelines.error.message}</p> : null}
      {pipelines.data && pipelines.data.pipelines.length === 0 ? (
        <p className="muted">No pipelines yet: each step of one waits for the step before and gets its output.</p>
      ) : null}
      <ul className={styles.cards} aria-label="Pipelines">
        {(pipelines.data?.pipelines ?? []).map((pipeline) => (
          <li key={pipeline.id} className="card">
            <Link href={`/pipelines/${pipeline.id}`} className={styles.cardLink}>
              <span className={styles.cardTop}>
                <span className={styles.cardName}>{pipeline.name}</span>
                <PlainBadge>{pipeline.state}</PlainBadge>
              </span>
              <span className={styles.dots} aria-label={`${pipeline.steps.filter((step) => step.status === 'done').length} of ${pipeline.steps.length} steps done`}>
                {pipeline.steps.map((step) => (
                  <span key={step.id} className={styles.dot} data-status={step.status} title={`${step.title}: ${step.status}`} />
                ))}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
