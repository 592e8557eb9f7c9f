// Line icons for the navigation (24×24, drawn with the current text colour), inline SVG so the
// tab bar needs no icon font or extra request. Decorative: every tab also has its text label.
import type { ReactElement } from 'react';

export type NavIconName = 'dashboard' | 'tasks' | 'chat' | 'mesh' | 'logs' | 'pipelines' | 'memory' | 'analytics' | 'admin' | 'account' | 'more' | 'signOut';

const PATHS: Record<NavIconName, ReactElement> = {
  dashboard: (
    <>
      <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
      <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
      <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
      <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
    </>
  ),
  tasks: (
    <>
      <path d="M4 6.5l1.8 1.8L9 5" />
      <path d="M4 12.5l1.8 1.8L9 11" />
      <path d="M4 18.5l1.8 1.8L9 17" />
      <path d="M12 7h8M12 13h8M12 19h8" />
    </>
  ),
  chat: <path d="M4 5.5h16v10H9.5L5 19.5v-4H4z" />,
  mesh: (
    <>
      <circle cx="12" cy="12" r="2.6" />
      <circle cx="5" cy="5.5" r="1.8" />
      <circle cx="19" cy="6.5" r="1.8" />
      <circle cx="6" cy="18.5" r="1.8" />
      <circle cx="18.5" cy="18" r="1.8" />
      <path d="M6.4 6.8l3.6 3.4M17.4 7.6l-3.4 2.9M7.5 17.2l2.6-3.1M16.9 16.6l-3-2.8" />
    </>
  ),
  logs: <path d="M5 5h14M5 9.5h14M5 14h9M5 18.5h11" />,
  pipelines: (
    <>
      <rect x="3" y="9" width="5" height="6" rx="1.2" />
      <rect x="16" y="9" width="5" height="6" rx="1.2" />
      <path d="M8 12h8M13 9.5l3 2.5-3 2.5" />
    </>
  ),
  memory: (
    <>
      <path d="M12 4.5c-3.6 0-6.5 2.6-6.5 6 0 2 1 3.6 2.5 4.7V19h8v-3.8c1.5-1.1 2.5-2.7 2.5-4.7 0-3.4-2.9-6-6.5-6z" />
      <path d="M9.5 19v1.5h5V19" />
    </>
  ),
  analytics: <path d="M4 20h16M6.5 20v-6M11 20V8M15.5 20v-9M20 20V5" />,
  admin: (
    <>
      <path d="M12 3l7 3v5.5c0 4.4-3 7.9-7 9.5-4-1.6-7-5.1-7-9.5V6z" />
      <path d="M9 12l2 2 4-4" />
    </>
  ),
  account: (
    <>
      <circle cx="12" cy="8.5" r="3.8" />
      <path d="M4.5 20c1.2-3.6 4-5.5 7.5-5.5s6.3 1.9 7.5 5.5" />
    </>
  ),
  more: (
    <>
      <circle cx="5.5" cy="12" r="1.4" />
      <circle cx="12" cy="12" r="1.4" />
      <circle cx="18.5" cy="12" r="1.4" />
    </>
  ),
  signOut: (
    <>
      <path d="M10 4.5H5.5v15H10" />
      <path d="M14 8l4 4-4 4M18 12H9.5" />
    </>
  ),
};

export function NavIcon({ name }: { name: NavIconName }) {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {PATHS[name]}
    </svg>
  );
}
