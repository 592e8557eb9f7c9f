// The dashboard's empty state: no agent has registered yet, so it shows how to join a machine.
'use client';
import Link from 'next/link';
import { can, useMe } from '../shell/app-shell';
import styles from './dashboard.module.css';

export function JoinWorkerHint() {
  const me = useMe();
  const hubUrl = typeof window === 'undefined' ? 'https://your-hub' : window.location.origin;
  return (
    <section className={`card ${styles.empty}`} aria-label="No agents yet">
      <h3>No agents have joined yet</h3>
      <p className="muted">Run a worker on any machine with Node 20 and a checkout of m3shd. It registers, heartbeats and appears here at once.</p>
      <pre className={styles.command}>
        <code>{`MESH_TOKEN=m3shd_ag_… npm run worker -- \\\n  --hub ${hubUrl} \\\n  --id rex --slots 2 \\\n  --capabilities research,code`}</code>
      </pre>
      <p className="muted">
        The token is an agent token with the worker preset
        {can(me, 'admin:tokens') ? (
          <>
            {' '}
            (create one under <Link href="/admin">Admin</Link>, or with <code>npm run mesh -- token create --agent rex</code>).
          </>
        ) : (
          <>; an admin creates it.</>
        )}{' '}
        <code>npm run worker -- --help</code> lists the runtimes (Claude CLI, Anthropic API, OpenAI-compatible, any command).
      </p>
    </section>
  );
}
