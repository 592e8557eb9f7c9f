// /pipelines/<id>: the pipeline's graph and its steps, following the tasks live.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { PlainBadge, StatusBadge } from '../tasks/badges';
import { useTRPC } from '../trpc';
import { describe, PipelineGraph } from './pipeline-graph';
import { usePipelineRefresh } from './use-pipeline-refresh';
import { TimeStamp } from '../time/time-stamp';
import styles from './graphs.module.css';

export function PipelineDetail({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  usePipelineRefresh();
  const pipeline = useQuery(trpc.pipelines.get.queryOptions({ pipelineId }));
  if (pipeline.isPending) return <p className="muted">Loading…</p>;
  if (pipeline.error) {
    return (
      <div className={styles.page}>
        <Link href="/pipelines" className={styles.back}>
          ← Pipelines
        </Link>
        <p className="error">{pipeline.error.message}</p>
      </div>
    );
  }
  const data = pipeline.data;
  const done = data.steps.filter((step) => step.status === 'done').length;
  return (
    <div className={styles.page}>
      <Link href="/pipelines" className={styles.back}>
        ← Pipelines
      </Link>
      <header className={styles.header}>
        <h1>{data.name}</h1>
        <PlainBadge>{data.state}</PlainBadge>
      </header>
      <p className={`muted ${styles.meta}`}>
        {done} of {data.steps.length} steps done · created by {data.createdBy} · <TimeStamp value={data.createdAt} />
      </p>
      <div className={styles.layout}>
        <section className="card" aria-label="Pipeline graph">
          <PipelineGraph name={data.name} steps={data.steps} />
        </section>
        <section className="card" aria-labelledby="pipeline-steps-title">
          <h2 id="pipeline-steps-title" className={styles.title}>
            Steps
          </h2>
          <ol className={styles.steps}>
            {data.steps.map((step) => (
              <li key={step.id} className={styles.step}>
                <Link href={`/tasks/${step.id}`} className={styles.itemTitle}>
                  {step.position + 1}. {step.title}
                </Link>
                <span title={describe(step)}>
                  <StatusBadge status={step.status} />
                </span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
