// The signed-in start page: who you are, the hub's health, and the live event stream. Sends
// visitors without a session to /login.
'use client';
import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc';
import styles from './home-screen.module.css';

interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  database: string;
}

interface LiveItem {
  id: number;
  type: string;
  ts: string;
}

const MAX_LIVE_ITEMS = 50;

/** useSubscription's status in words: 'pending' means connected and waiting for events. */
const STREAM_STATUS: Record<string, string> = { idle: 'off', connecting: 'connecting…', pending: 'live', error: 'reconnecting…' };

export function HomeScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.account.me.queryOptions());
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async (): Promise<Health> => (await fetch('/api/health')).json() as Promise<Health>,
  });
  const [events, setEvents] = useState<LiveItem[]>([]);
  const stream = useSubscription(
    trpc.events.stream.subscriptionOptions(undefined, {
      enabled: me.isSuccess,
      onData(item) {
        const event = 'data' in item ? item.data : item;
        setEvents((current) => [{ id: event.id, type: event.type, ts: event.ts }, ...current].slice(0, MAX_LIVE_ITEMS));
      },
    }),
  );

  const unauthorized = me.error?.data?.code === 'UNAUTHORIZED';
  useEffect(() => {
    if (unauthorized) router.replace('/login');
  }, [unauthorized, router]);

  async function logout() {
    await fetch('/api/logout', { method: 'POST' });
    router.replace('/login');
  }

  if (me.isPending || unauthorized) return <main className={styles.page}><p className="muted">Loading…</p></main>;
  if (me.error) return <main className={styles.page}><p className="error">{me.error.message}</p></main>;

  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <h1 className={`brand ${styles.title}`}>M3SHD</h1>
        <button className="secondary" onClick={logout}>
          Sign out
        </button>
      </header>
      <section className={`card ${styles.section}`} aria-label="Account">
        <h2>Signed in as {me.data.name}</h2>
        <p className="muted">
          {me.data.role ?? me.data.kind} · {me.data.permissions.length} permissions
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
          Live events <span className="muted">({STREAM_STATUS[stream.status] ?? stream.status})</span>
        </h2>
        {events.length === 0 ? <p className="muted">No events yet.</p> : null}
        <ol className={styles.events}>
          {events.map((event) => (
            <li key={`${event.id}-${event.ts}`}>
              <time className="muted">{new Date(event.ts).toLocaleTimeString()}</time> {event.type}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
