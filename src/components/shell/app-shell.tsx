// The signed-in frame: brand, navigation (on phones a bottom bar of at most five tabs, the rest
// under "More"), sign-out, the live connection state, and the guard that sends visitors without
// a session to /login — with the page they asked for, so sign-in returns there. While the
// session is checked the frame is drawn at once as a skeleton, not a blank "Loading…".
'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { Permission } from '@/lib/permissions';
import { loginPathFor } from '@/lib/return-path';
import { useTRPC } from '../trpc';
import { InboxBadge } from '../dashboard/inbox-badge';
import { ConnectionBadge, OfflineBanner } from '../live/connection-status';
import { LiveEventsProvider } from './live-events';
import { MoreMenu } from './more-menu';
import { NavIcon, type NavIconName } from './nav-icons';
import styles from './app-shell.module.css';

export interface NavItem {
  href: string;
  label: string;
  icon: NavIconName;
  /** Primary items are the phone's tabs; the others are listed under "More" there. */
  primary: boolean;
  /** Shown only to principals holding at least one of these permissions. */
  anyOf?: Permission[];
}

/** Phones show the primary ones as tabs (at most four, plus More); desktops show all in a row. */
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Dashboard', icon: 'dashboard', primary: true },
  { href: '/tasks', label: 'Tasks', icon: 'tasks', primary: true, anyOf: ['tasks:read'] },
  { href: '/chat', label: 'Chat', icon: 'chat', primary: true, anyOf: ['messages:read'] },
  { href: '/mesh', label: 'Mesh', icon: 'mesh', primary: true },
  { href: '/logs', label: 'Logs', icon: 'logs', primary: false },
  { href: '/pipelines', label: 'Pipelines', icon: 'pipelines', primary: false, anyOf: ['tasks:read'] },
  { href: '/memory', label: 'Memory', icon: 'memory', primary: false, anyOf: ['memory:read'] },
  { href: '/analytics', label: 'Analytics', icon: 'analytics', primary: false, anyOf: ['admin:analytics'] },
  { href: '/admin', label: 'Admin', icon: 'admin', primary: false, anyOf: ['admin:users', 'admin:tokens'] },
  { href: '/account', label: 'Account', icon: 'account', primary: false },
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
  const pathname = usePathname();
  const me = useQuery(trpc.account.me.queryOptions());
  const unauthorized = me.error?.data?.code === 'UNAUTHORIZED';
  useEffect(() => {
    if (unauthorized) router.replace(loginPathFor(`${pathname}${window.location.search}${window.location.hash}`));
  }, [unauthorized, router, pathname]);

  if (me.isPending || unauthorized) return <ShellSkeleton />;
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
export function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
}

async function endSession(router: ReturnType<typeof useRouter>) {
  await fetch('/api/logout', { method: 'POST' });
  router.replace('/login');
}

function Frame({ me, children }: { me: Me; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const items = NAV_ITEMS.filter((item) => !item.anyOf || item.anyOf.some((permission) => can(me, permission)));
  const moreItems = items.filter((item) => !item.primary);
  const signOut = () => endSession(router);

  return (
    <div className={styles.frame}>
      <header className={styles.header}>
        <Link href="/" className={`brand ${styles.brand}`}>
          M3SHD
        </Link>
        <ConnectionBadge />
        <span className={`muted ${styles.who}`}>{me.name}</span>
        <button className={`secondary ${styles.signOut}`} onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className={styles.nav} aria-label="Main">
        {items.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            className={styles.tab}
            data-placement={item.primary ? 'primary' : 'more'}
            aria-current={isCurrent(pathname, item.href) ? 'page' : undefined}
          >
            <NavIcon name={item.icon} />
            <span className={styles.tabLabel}>{item.label}</span>
            {item.href === '/' ? <InboxBadge /> : null}
          </Link>
        ))}
        <MoreMenu items={moreItems} pathname={pathname} onSignOut={signOut} />
      </nav>
      <OfflineBanner />
      <main className={styles.main}>{children}</main>
    </div>
  );
}

/**
 * What a signed-in page looks like before its data: the header, the tab bar's places and grey
 * blocks where content will be. Drawn at once (no session needed), so a slow phone shows the
 * app's frame instead of a blank page while the session is checked.
 */
export function ShellSkeleton() {
  return (
    <div className={styles.frame} aria-busy="true" data-testid="app-skeleton">
      <header className={styles.header}>
        <span className={`brand ${styles.brand}`}>M3SHD</span>
        <span className={styles.connection}>connecting</span>
      </header>
      <div className={`${styles.nav} ${styles.skeletonNav}`} aria-hidden="true">
        {NAV_ITEMS.filter((item) => item.primary).map((item) => (
          <span key={item.href} className={styles.tab} data-placement="primary">
            <NavIcon name={item.icon} />
            <span className={styles.tabLabel}>{item.label}</span>
          </span>
        ))}
        <span className={`${styles.tab} ${styles.moreButton}`}>
          <NavIcon name="more" />
          <span className={styles.tabLabel}>More</span>
        </span>
      </div>
      <main className={styles.main}>
        <p className={styles.visuallyHidden} role="status">
          Checking your session…
        </p>
        <div className={styles.skeletonBlocks} aria-hidden="true">
          <span className={styles.skeletonTitle} />
          <span className={styles.skeletonBlock} />
          <span className={styles.skeletonBlock} />
          <span className={styles.skeletonBlock} />
        </div>
      </main>
    </div>
  );
}
