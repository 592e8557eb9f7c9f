// One line of the logs page: time, type and a summary, coloured by family; tapping it shows the
// full payload, wrapped so a long one never scrolls sideways on a phone.
'use client';
import { memo, useState } from 'react';
import type { StreamItem } from '@/lib/events';
import { summarize, toneOf } from './event-format';
import styles from './logs-screen.module.css';

function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

// Memoised: rows are immutable events, so a new arrival re-renders only its own row.
export const LogRow = memo(function LogRow({ event }: { event: StreamItem }) {
  const [open, setOpen] = useState(false);
  return (
    <li className={styles.row} data-tone={toneOf(event)} data-type={event.type}>
      <details onToggle={(toggle) => setOpen(toggle.currentTarget.open)}>
        <summary className={styles.line}>
          <time className={styles.time} dateTime={event.ts} title={new Date(event.ts).toLocaleString()}>
            {clockTime(event.ts)}
          </time>
          <span className={styles.type}>{event.type}</span>
          <span className={styles.text}>{summarize(event)}</span>
        </summary>
        {open ? <pre className={styles.payload}>{JSON.stringify(event.payload, null, 2)}</pre> : null}
      </details>
    </li>
  );
});
