// The signed-in start page: the inbox of what needs the operator, the summary bar, a card per agent (live through the shell's event
// subscription), how to join a worker when there is none yet, and a small hub health line.
'use client';
import { useQuery } from '@tanstack/react-query';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { AgentCard, type AgentView } from './agent-card';
import { HubHealthLine } from './hub-health-line';
import { Inbox } from './inbox';
import { JoinWorkerHint } from './join-worker-hint';
import { SummaryBar } from './summary-bar';
import styles from './dashboard.module.css';

export function DashboardScreen() {
  const me = useMe();
  return (
    <div className={styles.page}>
      <h1 className={styles.title}>Mesh</h1>
      {can(me, 'tasks:read') ? <Inbox /> : null}
      <SummaryBar />
      {can(me, 'agents:read') ? <AgentGrid /> : <p className="muted">This account may not list agents.</p>}
      <HubHealthLine />
    </div>
  );
}

const STATUS_ORDER: Record<string, number> = { busy: 0, online: 1, offline: 2 };

/** Working agents first, then idle ones, offline last; by name within each. */
function byStatusThenName(a: AgentView, b: AgentView): number {
  return (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) || a.name.localeCompare(b.name);
}

function AgentGrid() {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions());
  if (agents.error) return <p className="error">Agents could not be loaded: {agents.error.message}</p>;
  if (!agents.data) return <p className="muted">Loading agents…</p>;
  if (agents.data.length === 0) return <JoinWorkerHint />;
  return (
    <section className={styles.agents} aria-label="Agents">
      <h2 className={styles.sectionTitle}>
        Agents <span className="muted">{agents.data.length}</span>
      </h2>
      <div className={styles.grid}>
        {[...agents.data].sort(byStatusThenName).map((agent) => (
          <AgentCard key={agent.id} agent={agent} />
        ))}
      </div>
    </section>
  );
}
