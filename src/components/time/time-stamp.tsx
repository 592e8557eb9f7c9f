// The one way a page shows a time: a <time> element in local time (see src/lib/time-format.ts)
// with the exact UTC instant on hover. `ago` shows an age and refreshes it every 15 s.
'use client';
import { useEffect, useState } from 'react';
import { formatAgo, formatDate, formatDateTime, formatUtc, type TimeInput } from '@/lib/time-format';

export type TimeStampMode = 'datetime' | 'date' | 'ago' | 'seconds';

const AGO_REFRESH_MS = 15_000;

function useNow(ticking: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(new Date()), AGO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export function TimeStamp({ value, mode = 'datetime', className }: { value: TimeInput; mode?: TimeStampMode; className?: string }) {
  const now = useNow(mode === 'ago');
  const date = value instanceof Date ? value : new Date(value);
  const text =
    mode === 'ago' ? formatAgo(date, now) : mode === 'date' ? formatDate(date, now) : formatDateTime(date, now, { seconds: mode === 'seconds' });
  const valid = !Number.isNaN(date.getTime());
  return (
    <time className={className} dateTime={valid ? date.toISOString() : undefined} title={valid ? formatUtc(date) : undefined}>
      {text}
    </time>
  );
}
