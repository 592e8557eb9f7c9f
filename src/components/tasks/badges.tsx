// Small labelled badges: a task's status, its urgency (coloured when high or critical) and its
// deadline (red when overdue).
import type { ReactNode } from 'react';
import type { DeadlineIndicator } from './format';
import styles from './badges.module.css';

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={styles.badge} data-status={status} data-testid="status-badge">
      <span className={styles.dot} aria-hidden />
      {status}
    </span>
  );
}

/** `labelled` spells out "urgency" where there is room (the detail); cards show only the level. */
export function UrgencyBadge({ urgency, labelled = false }: { urgency: string; labelled?: boolean }) {
  return (
    <span className={styles.badge} data-urgency={urgency} title="urgency">
      {labelled ? `urgency ${urgency}` : urgency}
    </span>
  );
}

export function DeadlineBadge({ indicator }: { indicator: DeadlineIndicator }) {
  return (
    <span className={styles.badge} data-tone={indicator.tone} title="deadline">
      {indicator.label}
    </span>
  );
}

export function PlainBadge({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <span className={styles.badge} title={title}>
      {children}
    </span>
  );
}
