// How long the running attempt has been at it, ticking every second (a display clock, not a poll).
'use client';
import { formatSpan } from './format';
import { useNow } from './use-now';

export function Elapsed({ since }: { since: string }) {
  const now = useNow(1_000);
  return (
    <span data-testid="task-elapsed" title={since}>
      {formatSpan(Math.max(0, now - Date.parse(since)))}
    </span>
  );
}
