// The live connection's state as the header shows it (a badge), and the banner that says the
// page is showing old data while the stream is down ("offline — last update 40 s ago").
'use client';
import { useEffect, useState } from 'react';
import { useLiveEvents } from '../shell/live-events';
import styles from './connection-status.module.css';

/** "12 s", "3 min", "2 h": how long ago, coarse enough to read at a glance. */
export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/** Re-renders every second while `active`, for "… ago" texts. */
function useTicking(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

export function ConnectionBadge() {
  const live = useLiveEvents();
  return (
    <span className={styles.badge} data-status={live.status} title={`live updates: ${live.status}`} data-testid="connection-status">
      {live.status}
    </span>
  );
}

export function OfflineBanner() {
  const live = useLiveEvents();
  const offline = live.status === 'offline';
  const now = useTicking(offline);
  if (!offline) return null;
  const age = live.lastUpdateAt ? `last update ${formatAge(now - live.lastUpdateAt)} ago` : 'no update received yet';
  return (
    <div className={styles.banner} role="status" aria-live="polite" data-testid="offline-banner">
      <strong>offline</strong> — {age}. What you see may be out of date; it refreshes when the connection is back.
    </div>
  );
}
