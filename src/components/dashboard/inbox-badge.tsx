// The count on the Dashboard tab: how many items wait in the inbox (inbox.get, refreshed by
// live events). Renders nothing when none wait or the principal may not read tasks.
'use client';
import { useQuery } from '@tanstack/react-query';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import styles from './inbox-badge.module.css';

export function useInboxCount(): number | null {
  const trpc = useTRPC();
  const me = useMe();
  const inbox = useQuery({ ...trpc.inbox.get.queryOptions(), enabled: can(me, 'tasks:read') });
  return inbox.data?.counts.total ?? null;
}

export function InboxBadge() {
  const count = useInboxCount();
  if (!count) return null;
  return (
    <span className={styles.badge} aria-label={`${count} need attention`} data-testid="inbox-badge">
      {count > 99 ? '99+' : count}
    </span>
  );
}
