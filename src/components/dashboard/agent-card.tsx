// One agent on the dashboard: who and where it is, its status (online green, busy amber, offline
// red with how long; held back by a breaker, load gate or budget red too), the tasks it works on,
// how many of its slots are in use, its capabilities, and its breaker when not closed.
'use client';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { AppRouter } from '@/server/routers';
import { agentStatusLabel } from './agent-status';
import { formatDateTime, formatUtc } from '@/lib/time-format';
import { TimeStamp } from '../time/time-stamp';
import styles from './dashboard.module.css';

export type AgentView = inferRouterOutputs<AppRouter>['agents']['list'][number];

const BREAKER_LABELS: Record<string, string> = { open: 'breaker open', half_open: 'breaker half-open' };

export function AgentCard({ agent }: { agent: AgentView }) {
  const titleId = `agent-${agent.id}`;
  const now = useMinuteClock();
  const status = agentStatusLabel(agent, now);
  return (
    <article className={`card ${styles.agent}`} data-status={status.tone === 'held' ? 'offline' : agent.status} aria-labelledby={titleId}>
      <header className={styles.agentHeader}>
        <div className={styles.agentIdentity}>
          <h3 id={titleId} className={styles.agentName}>
            {agent.name}
          </h3>
          <p className={styles.agentMeta}>
            {agent.id}
            {agent.machine ? ` · ${agent.machine}` : ''} · {agent.kind}
          </p>
        </div>
        <span className={styles.status} data-status={status.tone === 'held' ? 'offline' : status.tone} title={agent.offlineSince ? `offline since ${formatDateTime(agent.offlineSince)} (${formatUtc(agent.offlineSince)})` : undefined}>
          {status.label}
        </span>
      </header>
      {status.detail ? <p className={styles.heldDetail}>{status.detail}</p> : null}
      {agent.currentTasks.length > 0 ? (
        <ul className={styles.currentTasks} aria-label="Working on">
          {agent.currentTasks.map((task) => (
            <li key={task.id}>
              <span className={styles.agentMeta}>{task.status === 'running' ? 'working on' : 'assigned'} </span>
              <Link href={`/tasks/${task.id}`}>{task.title}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      <Slots used={agent.activeTasks} total={agent.maxConcurrent} />
      {agent.capabilities.length > 0 ? (
        <ul className={styles.chips} aria-label="Capabilities">
          {agent.capabilities.map((capability) => (
            <li key={capability} className={styles.chip}>
              {capability}
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.agentMeta}>any task (no capabilities listed)</p>
      )}
      <footer className={styles.agentFooter}>
        {agent.breaker.state !== 'closed' ? (
          <span className={styles.breaker} data-state={agent.breaker.state}>
            {BREAKER_LABELS[agent.breaker.state] ?? `breaker ${agent.breaker.state}`} · {agent.breaker.consecutiveFailures} failures
          </span>
        ) : null}
        <Link href={`/memory?agent=${encodeURIComponent(agent.id)}`} className={styles.agentMeta}>memory</Link>
        <span className={styles.agentMeta}>
          {agent.lastHeartbeatAt ? <>heartbeat <TimeStamp value={agent.lastHeartbeatAt} mode="seconds" /></> : 'no heartbeat yet'}
        </span>
      </footer>
    </article>
  );
}

function Slots({ used, total }: { used: number; total: number }) {
  // A commander registers with no slots: the dispatcher never gives it work.
  if (total === 0) return <p className={styles.agentMeta}>no task slots (never assigned work)</p>;
  const percent = Math.min(100, Math.round((used / total) * 100));
  return (
    <div className={styles.slots}>
      <div className={styles.slotsLabel}>
        <span>slots</span>
        <span>
          {used}/{total}
        </span>
      </div>
      <div
        className={styles.slotsTrack}
        role="progressbar"
        aria-label="Slots in use"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
      >
        <div className={styles.slotsFill} style={{ width: `${percent}%` }} data-full={used >= total} />
      </div>
    </div>
  );
}

/** The time, refreshed every 30 s, for "offline 3 min". */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}
