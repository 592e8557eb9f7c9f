// The signed-in start page: who you are, the hub's health, and the latest live events.
'use client';
import { useQuery } from '@tanstack/react-query';
import { useLiveEvents } from '../shell/live-events';
import { useMe } from '../shell/app-shell';
import styles from './home-screen.module.css';

interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  database: string;
}

const SHOWN_EVENTS = 50;

export function HomeScreen() {
  const me = useMe();
  const live = useLiveEvents();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async (): Promise<Health> => (await fetch('/api/health')).json() as Promise<Health>,
  });

  return (
    <div className={styles.page}>
      <section className={`card ${styles.section}`} aria-label="Account">
        <h2>Signed in as {me.name}</h2>
        <p className="muted">
          {me.role ?? me.kind} · {me.permissions.length} permissions
        </p>
      </section>
      <section className={`card ${styles.section}`} aria-label="Hub health">
        <h2>Hub</h2>
        {health.data ? (
          <p>
            <span className={health.data.status === 'ok' ? 'ok' : 'error'}>{health.data.status}</span> · version {health.data.version} · up{' '}
            {health.data.uptimeSeconds}s · database {health.data.database}
          </p>
        ) : (
          <p className="muted">checking…</p>
        )}
      </section>
      <section className={`card ${styles.section}`} aria-label="Live events">
        <h2>
          Live events <span className="muted">({live.status})</span>
        </h2>
        {live.events.length === 0 ? <p className="muted">No events yet.</p> : null}
        <ol className={styles.events}>
          {live.events.slice(0, SHOWN_EVENTS).map((event) => (
            <li key={`${event.id}-${event.ts}`}>
              <time className="muted">{new Date(event.ts).toLocaleTimeString()}</time> {event.type}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
