// The public demo (/demo, MESH_DEMO=1): a read-only board for signed-out visitors, fed by the
// redacted snapshot edge, not by tRPC. Visitors have no event stream, so the snapshot is
// refreshed every 20 s: 3 requests a minute, well inside the demo's 30 per minute per IP.
// Links back to /demo are not prefetched: every request to the page counts towards the limit.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatDateTime } from '@/lib/time-format';
import { DEMO_REQUESTS_PER_MINUTE, type DemoSnapshot } from '@/lib/demo';
import { DemoAgentGrid } from './demo-agent-grid';
import { DemoMesh } from './demo-mesh';
import { DemoRateLimitedError, fetchDemoSnapshot } from './demo-snapshot';
import { DemoRecentTasks, DemoTaskCounts } from './demo-tasks';
import styles from './demo.module.css';

const REFRESH_MS = 20_000;

export function DemoDashboard() {
  const snapshot = useQuery({
    queryKey: ['demo-snapshot'],
    queryFn: fetchDemoSnapshot,
    refetchInterval: REFRESH_MS,
    retry: false,
    staleTime: REFRESH_MS / 2,
  });

  return (
    <div className={styles.frame}>
      <header className={styles.header}>
        <Link href="/demo" prefetch={false} className={`brand ${styles.brand}`}>
          M3SHD
        </Link>
        <span className={styles.readOnly}>demo · read-only</span>
        <Link href="/login" className={styles.signIn}>
          Sign in
        </Link>
      </header>
      <main className={styles.main}>
        <section className={styles.intro}>
          <h1>A live mesh of AI agents</h1>
          <p>One hub routes work among agents on desktops, servers and phones. This public view shows only statuses and counts.</p>
        </section>
        <SnapshotNotice error={snapshot.error} />
        {snapshot.data ? <DemoBoard snapshot={snapshot.data} /> : snapshot.isPending ? <p className={styles.empty}>Loading the mesh…</p> : null}
      </main>
      <footer className={styles.footer}>
        {snapshot.data ? `Updated ${formatDateTime(snapshot.data.generatedAt, new Date(), { seconds: true })} · ` : ''}refreshes every {REFRESH_MS / 1000} s · no prompts, outputs or names are shown
      </footer>
    </div>
  );
}

function SnapshotNotice({ error }: { error: Error | null }) {
  if (!error) return null;
  const message =
    error instanceof DemoRateLimitedError
      ? `The demo allows ${DEMO_REQUESTS_PER_MINUTE} requests a minute from one address. It refreshes again on its own in about ${error.retryAfterSeconds} s.`
      : `Could not load the mesh (${error.message}). It retries every ${REFRESH_MS / 1000} s.`;
  return (
    <p className={styles.notice} role="status">
      {message}
    </p>
  );
}

function DemoBoard({ snapshot }: { snapshot: DemoSnapshot }) {
  const online = snapshot.agents.filter((agent) => agent.status !== 'offline').length;
  const counts = snapshot.taskCounts;
  return (
    <>
      <section className={styles.summary} aria-label="Summary">
        <Tile label="agents online" value={`${online}/${snapshot.agents.length}`} tone="emerald" />
        <Tile label="active tasks" value={counts.assigned + counts.running} tone="amber" />
        <Tile label="queued" value={counts.queued} tone="purple" />
        <Tile label="done" value={counts.done} />
      </section>
      <section className={styles.section} aria-labelledby="demo-mesh">
        <h2 id="demo-mesh" className={styles.sectionTitle}>
          Mesh
        </h2>
        <DemoMesh agents={snapshot.agents} />
      </section>
      <section className={styles.section} aria-labelledby="demo-agents">
        <h2 id="demo-agents" className={styles.sectionTitle}>
          Agents
        </h2>
        <DemoAgentGrid agents={snapshot.agents} />
      </section>
      <div className={styles.columns}>
        <section className={`card ${styles.section}`} aria-labelledby="demo-counts">
          <h2 id="demo-counts" className={styles.sectionTitle}>
            Tasks by status
          </h2>
          <DemoTaskCounts counts={counts} />
        </section>
        <section className={`card ${styles.section}`} aria-labelledby="demo-recent">
          <h2 id="demo-recent" className={styles.sectionTitle}>
            Latest tasks
          </h2>
          <DemoRecentTasks snapshot={snapshot} />
        </section>
      </div>
    </>
  );
}

function Tile({ label, value, tone }: { label: string; value: number | string; tone?: string }) {
  return (
    <div className={styles.tile} data-tone={tone}>
      <span className={styles.tileLabel}>{label}</span>
      <span className={styles.tileValue}>{value}</span>
    </div>
  );
}
