// One task in full: status and facts (with the running time ticking), Cancel / Retry / Re-run,
// the prompt, the live streamed output, the final output or error (copyable), the escalation a
// failure raised, its attempts (each with its own error) and its costs. tasks.get refreshes on
// the task events the shell hears, so the page follows the task from queued to done without polling.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { DeadlineBadge, PlainBadge, StatusBadge, UrgencyBadge } from './badges';
import { CopyButton } from './copy-button';
import { TimeStamp } from '../time/time-stamp';
import { deadlineIndicator, formatConfidence, formatUsd } from './format';
import { InjectedMemories } from '../memory/injected-memories';
import { WaitReasonNote } from '../wait/wait-reason-note';
import { TaskLinks } from '../graphs/task-links';
import { TaskActions } from './task-actions';
import { Attempts } from './task-attempts';
import { Elapsed } from './task-elapsed';
import { TaskEscalation } from './task-escalation';
import { TaskStream } from './task-stream';
import type { TaskDetail as TaskDetailData } from './types';
import { useNow } from './use-now';
import styles from './task-detail.module.css';

export function TaskDetail({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const task = useQuery(trpc.tasks.get.queryOptions({ taskId }));

  if (task.isPending) return <p className="muted">Loading…</p>;
  if (task.error) {
    return (
      <div className={styles.page}>
        <BackLink />
        <p className="error">{task.error.message}</p>
      </div>
    );
  }
  const data = task.data;
  const attemptNumbers = new Map(data.attemptHistory.map((attempt) => [attempt.id, attempt.number]));
  return (
    <div className={styles.page}>
      <BackLink />
      <Summary task={data} canWrite={can(me, 'tasks:write')} />
      <div className={styles.layout}>
        <div className={styles.mainColumn}>
          <section className={`card ${styles.section}`} aria-labelledby="prompt-title">
            <h2 id="prompt-title" className={styles.sectionTitle}>
              Prompt
            </h2>
            <pre className={styles.text}>{data.prompt}</pre>
          </section>
          {/* Once there is a result it matters more than the stream that led to it. */}
          <Result task={data} />
          <TaskStream key={taskId} taskId={taskId} status={data.status} attemptNumbers={attemptNumbers} finalOutput={data.output} />
        </div>
        <div className={styles.sideColumn}>
          <TaskLinks taskId={taskId} />
          <Attempts task={data} />
          <InjectedMemories taskId={taskId} />
          <Costs task={data} />
        </div>
      </div>
    </div>
  );
}

function BackLink() {
  return (
    <Link href="/tasks" className={styles.back}>
      ← All tasks
    </Link>
  );
}

function Summary({ task, canWrite }: { task: TaskDetailData; canWrite: boolean }) {
  const now = useNow();
  const deadline = deadlineIndicator(task.deadline, task.status, now);
  const facts = (
    [
      ['assigned to', task.assignedTo ?? 'nobody yet'],
      task.assignTo && task.assignTo !== task.assignedTo ? ['preferred agent', task.assignTo] : null,
      ['capability', task.requiredCapability ?? 'any'],
      ['created', <span key="created"><TimeStamp value={task.createdAt} /> by {task.createdBy}</span>],
      task.startedAt ? ['started', <TimeStamp key="started" value={task.startedAt} />] : null,
      task.status === 'running' && runningSince(task) ? ['running for', <Elapsed key="elapsed" since={runningSince(task)!} />] : null,
      task.completedAt ? ['finished', <TimeStamp key="finished" value={task.completedAt} />] : null,
      task.deadline ? ['deadline', <TimeStamp key="deadline" value={task.deadline} />] : null,
      task.model ? ['model', task.model] : null,
      ['attempts', String(task.attempts)],
    ] satisfies ([string, ReactNode] | null)[]
  ).filter((fact) => fact !== null);
  return (
    <section className={`card ${styles.summary}`} aria-labelledby="task-title">
      <h1 id="task-title" className={styles.title}>
        {task.title}
      </h1>
      <div className={styles.badges}>
        <StatusBadge status={task.status} />
        <PlainBadge title="priority">P{task.priority}</PlainBadge>
        <UrgencyBadge urgency={task.urgency} labelled />
        {deadline ? <DeadlineBadge indicator={deadline} /> : null}
        {task.confidence !== null ? <PlainBadge title="confidence">confidence {formatConfidence(task.confidence)}</PlainBadge> : null}
      </div>
      <WaitReasonNote reason={task.waitReason} />
      <dl className={styles.facts}>
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {task.continuesTaskId ? (
        <Link className={styles.back} href={`/tasks/${task.continuesTaskId}`}>
          Continues an earlier task →
        </Link>
      ) : null}
      {task.status === 'failed' ? <TaskEscalation taskId={task.id} /> : null}
      {canWrite ? <TaskActions taskId={task.id} status={task.status} /> : null}
    </section>
  );
}

function Result({ task }: { task: TaskDetailData }) {
  // While the task is retried, the last attempt's error is history: the attempts list shows it.
  const error = task.status === 'failed' || task.status === 'cancelled' || task.status === 'done' ? task.error : null;
  if (task.output === null && error === null) return null;
  return (
    <section className={`card ${styles.section}`} aria-labelledby="result-title">
      <div className={styles.sectionHead}>
        <h2 id="result-title" className={styles.sectionTitle}>
          {task.output !== null ? 'Output' : 'Error'}
        </h2>
        {task.output ? <CopyButton text={task.output} label="Copy output" /> : null}
      </div>
      {task.output !== null ? <pre className={styles.text} data-testid="task-output">{task.output}</pre> : null}
      {error !== null ? <pre className={`${styles.text} error`}>{error}</pre> : null}
    </section>
  );
}

function Costs({ task }: { task: TaskDetailData }) {
  const total = task.costs.reduce((sum, cost) => sum + cost.costUsd, 0);
  return (
    <section className={`card ${styles.section}`} aria-labelledby="costs-title">
      <h2 id="costs-title" className={styles.sectionTitle}>
        Costs {task.costs.length > 0 ? <span className="muted">{formatUsd(total)}</span> : null}
      </h2>
      {task.costs.length === 0 ? <p className="muted">No usage reported.</p> : null}
      <ul className={styles.list}>
        {task.costs.map((cost, index) => (
          <li key={index} className={styles.listItem}>
            <span className={styles.listMain}>{cost.model}</span>
            <span>{formatUsd(cost.costUsd)}</span>
            <span className={`muted ${styles.listNote}`}>
              {cost.inputTokens.toLocaleString('en-US')} in · {cost.outputTokens.toLocaleString('en-US')} out
              {cost.costSource === 'reported' ? ' · worker’s figure' : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The running attempt's start (the task's startedAt is its first claim, before any retry). */
function runningSince(task: TaskDetailData): string | null {
  const running = task.attemptHistory.filter((attempt) => attempt.status === 'running').at(-1);
  return running?.startedAt ?? task.startedAt;
}
