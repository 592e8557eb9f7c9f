// The signed-in frame: brand, navigation (a bottom tab bar on phones), sign-out, the live
// connection state, and the guard that sends visitors without a session to /login.
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { Permission } from '@/lib/permissions';
import { useTRPC } from '../trpc';
import { InboxBadge } from '../dashboard/inbox-badge';
import { ConnectionBadge, OfflineBanner } from '../live/connection-status';
import { LiveEventsProvider } from './live-events';
import styles from './app-shell.module.css';

interface NavItem {
  href: string;
  label: string;
  /** Shown only to principals holding at least one of these permissions. */
  anyOf?: Permission[];
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Mesh' },
  { href: '/chat', label: 'Chat', anyOf: ['messages:read'] },
  { href: '/tasks', label: 'Tasks', anyOf: ['tasks:read'] },
  { href: '/logs', label: 'Logs' },
  { href: '/mesh', label: '3D' },
  { href: '/analytics', label: 'Analytics', anyOf: ['admin:analytics'] },
  { href: '/admin', label: 'Admin', anyOf: ['admin:users', 'admin:tokens'] },
  { href: '/account', label: 'Account' },
];

export interface Me {
  kind: string;
  name: string;
  role: string | null;
  permissions: Permission[];
}

const MeContext = createContext<Me | null>(null);

/** The signed-in principal (inside AppShell). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe is used outside the app shell');
  return me;
}

export function can(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

export function AppShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.account.me.queryOptions());
  const unauthorized = me.error?.data?.code === 'UNAUTHORIZED';
  useEffect(() => {
    if (unauthorized) router.replace('/login');
  }, [unauthorized, router]);

  if (me.isPending || unauthorized) return <main className={styles.loading}>Loading…</main>;
  if (me.error) return <main className={styles.loading}><p className="error">{me.error.message}</p></main>;

  return (
    <MeContext.Provider value={me.data as Me}>
      <LiveEventsProvider enabled>
        <Frame me={me.data as Me}>{children}</Frame>
      </LiveEventsProvider>
    </MeContext.Provider>
  );
}

/** A tab is current on its own page and on the pages under it (/tasks/<id> under /tasks). */
function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
}

function Frame({ me, children }: { me: Me; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const items = NAV_ITEMS.filter((item) => !item.anyOf || item.anyOf.some((permission) => can(me, permission)));

  async function signOut() {
    await fetch('/api/logout', { method: 'POST' });
    router.replace('/login');
  }

  return (
    <div className={styles.frame}>
      <header className={styles.header}>
        <Link href="/" className={`brand ${styles.brand}`}>
          M3SHD
        </Link>
        <ConnectionBadge />
        <span className={`muted ${styles.who}`}>{me.name}</span>
        <button className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className={styles.nav} aria-label="Main">
        {items.map((item) => (
          <Link key={item.href} href={item.href} className={styles.tab} aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}>
            {item.label}
            {item.href === '/' ? <InboxBadge /> : null}
          </Link>
        ))}
      </nav>
      <OfflineBanner />
      <main className={styles.main}>{children}</main>
    </div>
  );
}
