// The dashboard's summary bar: agents online, active tasks, pending approvals and today's cost.
// Each tile reads one procedure and is left out when the principal may not read it; the shell's
// live events invalidate the queries, so the figures follow the mesh without polling.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LIMITS } from '@/lib/limits';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { formatUsd } from './format';
import { tasksViewHref } from './tasks-link';
import styles from './dashboard.module.css';

export function SummaryBar() {
  const me = useMe();
  const readsAgents = can(me, 'agents:read');
  const readsTasks = can(me, 'tasks:read');
  if (!readsAgents && !readsTasks) return null;
  return (
    <section className={styles.summary} aria-label="Summary">
      {readsAgents ? <AgentsOnlineTile /> : null}
      {readsTasks ? (
        <>
          <ActiveTasksTile />
          <PendingApprovalsTile />
          <CostTodayTile />
        </>
      ) : null}
    </section>
  );
}

/** A tile; with `href` the whole tile links to the view behind its figure (e.g. the filtered task list). */
function Tile({ label, value, detail, tone, href }: { label: string; value: ReactNode; detail?: ReactNode; tone?: 'emerald' | 'amber' | 'purple'; href?: string }) {
  const body = (
    <>
      <span className={styles.tileLabel}>{label}</span>
      <span className={styles.tileValue}>{value}</span>
      {detail ? <span className={styles.tileDetail}>{detail}</span> : null}
    </>
  );
  return (
    <div className={styles.tile} data-tone={tone} role="group" aria-label={label}>
      {href ? (
        <Link href={href} className={styles.tileLink}>
          {body}
        </Link>
      ) : (
        body
      )}
    </div>
  );
}

/** A failed query shows a dash with the reason on hover, rather than a misleading zero. */
function Unavailable({ message }: { message: string }) {
  return (
    <span className="muted" title={message}>
      —
    </span>
  );
}

function AgentsOnlineTile() {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions());
  if (agents.error) return <Tile label="Agents online" value={<Unavailable message={agents.error.message} />} />;
  const list = agents.data ?? [];
  const online = list.filter((agent) => agent.status !== 'offline').length;
  const busy = list.filter((agent) => agent.status === 'busy').length;
  return (
    <Tile
      label="Agents online"
      tone="emerald"
      value={agents.data ? `${online}/${list.length}` : '…'}
      detail={agents.data ? `${busy} busy` : undefined}
    />
  );
}

/** Counts one status through tasks.list; a full page means "at least that many". */
function useTaskCount(status: 'queued' | 'assigned' | 'running') {
  const trpc = useTRPC();
  const query = useQuery(trpc.tasks.list.queryOptions({ status, limit: LIMITS.listRows }));
  return {
    count: query.data?.tasks.length,
    more: Boolean(query.data?.nextCursor),
    error: query.error?.message,
  };
}

function ActiveTasksTile() {
  const assigned = useTaskCount('assigned');
  const running = useTaskCount('running');
  const queued = useTaskCount('queued');
  const error = assigned.error ?? running.error;
  if (error) return <Tile label="Active tasks" value={<Unavailable message={error} />} />;
  const ready = assigned.count !== undefined && running.count !== undefined;
  const active = (assigned.count ?? 0) + (running.count ?? 0);
  const more = assigned.more || running.more;
  return (
    <Tile
      label="Active tasks"
      tone="amber"
      href={tasksViewHref({ status: 'running' })}
      value={ready ? `${active}${more ? '+' : ''}` : '…'}
      detail={queued.count === undefined ? undefined : `${queued.count}${queued.more ? '+' : ''} queued`}
    />
  );
}

function PendingApprovalsTile() {
  const trpc = useTRPC();
  const approvals = useQuery(trpc.approvals.list.queryOptions({ status: 'pending' }));
  if (approvals.error) return <Tile label="Pending approvals" value={<Unavailable message={approvals.error.message} />} />;
  const count = approvals.data?.length;
  return (
    <Tile
      label="Pending approvals"
      tone="purple"
      href="#inbox-approvals"
      value={count === undefined ? '…' : `${count}${count >= LIMITS.listRows ? '+' : ''}`}
      detail={count === undefined ? undefined : count === 0 ? 'none waiting' : 'awaiting a decision'}
    />
  );
}

function CostTodayTile() {
  const trpc = useTRPC();
  const costs = useQuery(trpc.costs.summary.queryOptions({ days: 1 }));
  if (costs.error) return <Tile label="Cost today" value={<Unavailable message={costs.error.message} />} />;
  const byAgent = costs.data?.byAgent ?? [];
  const tokens = byAgent.reduce((sum, agent) => sum + agent.inputTokens + agent.outputTokens, 0);
  return (
    <Tile
      label="Cost today"
      href="/analytics"
      value={costs.data ? formatUsd(costs.data.todayCostUsd) : '…'}
      detail={costs.data ? `${tokens.toLocaleString('en-US')} tokens · UTC day` : undefined}
    />
  );
}
