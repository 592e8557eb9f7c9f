// The /analytics page (admin:analytics): the summary figures, throughput by day, status, agent
// and capability, the cost trend and cost per agent, and uptime, tasks and memory per agent,
// over a chosen window. Refreshed when task, agent or cost events arrive (no polling).
'use client';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ANALYTICS_DEFAULT_DAYS, type AgentAnalytics, type CostAnalytics, type TaskAnalytics } from '@/lib/analytics';
import { TASK_STATUSES } from '@/lib/tasks';
import { useLiveEvents } from '../shell/live-events';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { dayLabel, formatUsd } from './chart-scale';
import { ColumnChart } from './column-chart';
import { DaysSelector } from './days-selector';
import { HorizontalBars, type BarRow } from './horizontal-bars';
import { STATUS_COLORS, STATUS_ORDER } from './status-colors';
import { SummaryTiles } from './summary-tiles';
import { TrendChart } from './trend-chart';
import styles from './analytics.module.css';

/** Events after which the figures are refetched, at most once per this many ms. */
const REFRESH_AFTER_EVENTS_MS = 5_000;
const MAX_AGENT_ROWS = 15;

export function AnalyticsScreen() {
  const me = useMe();
  if (!can(me, 'admin:analytics')) {
    return (
      <section className="card">
        <h1 className={styles.title}>Analytics</h1>
        <p className="muted">Analytics needs the admin:analytics permission.</p>
      </section>
    );
  }
  return <AnalyticsDashboard />;
}

function useRefreshOnEvents() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { listen } = useLiveEvents();
  // Every listen function adds to the same listener set; subscribing once is enough.
  const listenOnce = useRef(listen);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = listenOnce.current((event) => {
      const relevant = (event.type.startsWith('task_') && event.type !== 'task_stream') || event.type.startsWith('agent_') || event.type === 'cost_logged';
      if (!relevant || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries(trpc.analytics.pathFilter());
      }, REFRESH_AFTER_EVENTS_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, trpc]);
}

function AnalyticsDashboard() {
  const trpc = useTRPC();
  const [days, setDays] = useState<number>(ANALYTICS_DEFAULT_DAYS);
  const options = { placeholderData: keepPreviousData };
  const summary = useQuery(trpc.analytics.summary.queryOptions({ days }, options));
  const tasks = useQuery(trpc.analytics.tasks.queryOptions({ days }, options));
  const costs = useQuery(trpc.analytics.costs.queryOptions({ days }, options));
  const agents = useQuery(trpc.analytics.agents.queryOptions({ days }, options));
  useRefreshOnEvents();
  const error = summary.error ?? tasks.error ?? costs.error ?? agents.error;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>Analytics</h1>
          <p className="muted">{summary.data ? `Since ${dayLabel(summary.data.since.slice(0, 10))}, 00:00 UTC` : 'Loading…'}</p>
        </div>
        <DaysSelector days={days} onChange={setDays} />
      </header>
      {error ? <p className="error">{error.message}</p> : null}
      {summary.data ? <SummaryTiles summary={summary.data} /> : null}
      <div className={styles.grid}>
        {tasks.data ? <TaskCharts tasks={tasks.data} /> : null}
        {costs.data ? <CostCharts costs={costs.data} /> : null}
        {agents.data ? <AgentCharts agents={agents.data} /> : null}
      </div>
    </div>
  );
}

function Legend({ items }: { items: { name: string; color: string }[] }) {
  return (
    <ul className={styles.legend}>
      {items.map((item) => (
        <li key={item.name}>
          <span className={styles.swatch} style={{ background: item.color }} /> {item.name}
        </li>
      ))}
    </ul>
  );
}

function Card({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`card ${styles.card}`} data-wide={wide ? 'true' : undefined} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function TaskCharts({ tasks }: { tasks: TaskAnalytics }) {
  const finished = [
    { name: 'done', color: STATUS_COLORS.done },
    { name: 'failed', color: STATUS_COLORS.failed },
    { name: 'cancelled', color: STATUS_COLORS.cancelled },
  ];
  const byStatus: BarRow[] = TASK_STATUSES.map((status) => ({
    key: status,
    label: status,
    segments: [{ name: status, value: tasks.byStatus[status], color: STATUS_COLORS[status] }],
    valueLabel: String(tasks.byStatus[status]),
  }));
  const byAgent: BarRow[] = tasks.byAgent.slice(0, MAX_AGENT_ROWS).map((agent) => ({
    key: agent.agentId ?? 'unassigned',
    label: agent.agentId ?? 'unassigned',
    segments: STATUS_ORDER.map((status) => ({ name: status, value: agent.byStatus[status], color: STATUS_COLORS[status] })),
    valueLabel: String(agent.total),
  }));
  const byCapability: BarRow[] = tasks.byCapability.map((capability) => ({
    key: capability.capability ?? 'any',
    label: capability.capability ?? 'any agent',
    segments: [
      { name: 'done', value: capability.done, color: STATUS_COLORS.done },
      { name: 'failed', value: capability.failed, color: STATUS_COLORS.failed },
      { name: 'other', value: capability.total - capability.done - capability.failed, color: STATUS_COLORS.queued },
    ],
    valueLabel: String(capability.total),
  }));

  return (
    <>
      <Card title="Throughput by day" wide>
        <ColumnChart
          label="Tasks finished per day by outcome, and tasks created per day"
          markerColor="var(--amber)"
          columns={tasks.byDay.map((day) => ({
            day: day.day,
            marker: day.created,
            segments: [
              { name: 'done', value: day.done, color: STATUS_COLORS.done },
              { name: 'failed', value: day.failed, color: STATUS_COLORS.failed },
              { name: 'cancelled', value: day.cancelled, color: STATUS_COLORS.cancelled },
            ],
          }))}
        />
        <Legend items={[...finished, { name: 'created', color: 'var(--amber)' }]} />
      </Card>
      <Card title="Tasks by status">
        <p className="muted">{tasks.total} tasks created in the window, by where they are now.</p>
        <HorizontalBars label="Tasks by status" rows={byStatus} />
      </Card>
      <Card title="Tasks by agent">
        {byAgent.length > 0 ? (
          <>
            <HorizontalBars label="Tasks by agent, split by status" rows={byAgent} />
            <Legend items={STATUS_ORDER.filter((status) => tasks.byAgent.some((agent) => agent.byStatus[status] > 0)).map((status) => ({ name: status, color: STATUS_COLORS[status] }))} />
          </>
        ) : (
          <p className="muted">No tasks in this window.</p>
        )}
      </Card>
      <Card title="Tasks by capability">
        {byCapability.length > 0 ? (
          <>
            <HorizontalBars label="Tasks by required capability" rows={byCapability} />
            <Legend items={[...finished.slice(0, 2), { name: 'other', color: STATUS_COLORS.queued }]} />
          </>
        ) : (
          <p className="muted">No tasks in this window.</p>
        )}
      </Card>
    </>
  );
}

function CostCharts({ costs }: { costs: CostAnalytics }) {
  const byAgent: BarRow[] = costs.byAgent.slice(0, MAX_AGENT_ROWS).map((agent) => ({
    key: agent.agentId,
    label: agent.agentId,
    segments: [{ name: 'cost', value: agent.costUsd, color: 'var(--purple)' }],
    valueLabel: agent.avgCostPerTaskUsd === null ? formatUsd(agent.costUsd) : `${formatUsd(agent.costUsd)} · ${formatUsd(agent.avgCostPerTaskUsd)}/task`,
  }));
  return (
    <>
      <Card title="Cost trend" wide>
        <p className="muted">
          {formatUsd(costs.totalCostUsd)} in the window · {formatUsd(costs.todayCostUsd)} today
        </p>
        <TrendChart label="Model cost per day in US dollars" color="var(--amber)" points={costs.byDay.map((day) => ({ day: day.day, value: day.costUsd }))} />
      </Card>
      <Card title="Cost by agent">
        {byAgent.length > 0 ? (
          <>
            <p className="muted">Total, and average per task where usage was logged against tasks.</p>
            <HorizontalBars label="Cost by agent" rows={byAgent} />
          </>
        ) : (
          <p className="muted">No usage logged in this window.</p>
        )}
      </Card>
    </>
  );
}

function AgentCharts({ agents }: { agents: AgentAnalytics }) {
  const rows = [...agents.agents].sort((a, b) => b.uptimePercent - a.uptimePercent || a.agentId.localeCompare(b.agentId));
  const uptime: BarRow[] = rows.slice(0, MAX_AGENT_ROWS).map((agent) => ({
    key: agent.agentId,
    label: agent.name,
    segments: [{ name: 'uptime', value: agent.uptimePercent, color: 'var(--emerald)' }],
    valueLabel: `${agent.uptimePercent}%`,
  }));
  return (
    <Card title="Agents">
      {rows.length > 0 ? (
        <>
          <p className="muted">Uptime: time online or busy over the part of the window each agent existed (since it registered, if later).</p>
          <HorizontalBars label="Uptime per agent in percent" rows={uptime} max={100} />
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Tasks</th>
                <th scope="col">Done</th>
                <th scope="col">Failed</th>
                <th scope="col">Memory</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((agent) => (
                <tr key={agent.agentId}>
                  <th scope="row">{agent.name}</th>
                  <td>{agent.totalTasks}</td>
                  <td>{agent.doneTasks}</td>
                  <td>{agent.failedTasks}</td>
                  <td>{agent.memoryCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">No agents have registered yet.</p>
      )}
    </Card>
  );
}
