// A one-line hub health note for the dashboard's foot: status, version, uptime, database.
// Read once per visit from /api/health; the live connection badge in the header shows the rest.
'use client';
import { useQuery } from '@tanstack/react-query';
import { formatDuration } from './format';
import styles from './dashboard.module.css';

interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  database: string;
}

export function HubHealthLine() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: async (): Promise<Health> => {
      const response = await fetch('/api/health');
      return (await response.json()) as Health;
    },
  });
  return (
    <p className={styles.health} aria-label="Hub health">
      {health.data ? (
        <>
          hub <span className={health.data.status === 'ok' ? 'ok' : 'error'}>{health.data.status}</span> · v{health.data.version} · up{' '}
          {formatDuration(health.data.uptimeSeconds)} · database {health.data.database}
        </>
      ) : health.error ? (
        <span className="error">hub health unavailable</span>
      ) : (
        'checking hub…'
      )}
    </p>
  );
}
