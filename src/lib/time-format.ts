// The app's one way to show a time (issue 10 found seven): local time for reading, the exact UTC
// instant for hovering (the title attribute), the year only when it is not this year, and
// "x ago" where a page shows an age. Pure functions of (value, now), so they are unit tested and
// the React component (src/components/time/time-stamp.tsx) stays a thin wrapper.

export type TimeInput = string | number | Date;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function toDate(value: TimeInput): Date {
  return value instanceof Date ? value : new Date(value);
}

function isValid(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:05" (24-hour clock, like the rest of the app's monospace figures). */
function clock(date: Date, seconds = false): string {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hourCycle: 'h23' });
}

/** "Mar 10" this year, "Mar 10, 2025" in another. */
function calendarDate(date: Date, now: Date): string {
  return date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
}

/**
 * A moment in local time: only the clock today ("14:05"), the date and clock on other days
 * ("Mar 10, 14:05"), with the year when it is not the current one ("Mar 10, 2025, 14:05").
 * `seconds` adds seconds (log rows). An unreadable value gives "—".
 */
export function formatDateTime(value: TimeInput, now: Date = new Date(), options: { seconds?: boolean } = {}): string {
  const date = toDate(value);
  if (!isValid(date)) return '—';
  const time = clock(date, options.seconds);
  return sameLocalDay(date, now) ? time : `${calendarDate(date, now)}, ${time}`;
}

/** A calendar date only, with the year when it differs from now's ("Mar 10" / "Mar 10, 2025"). */
export function formatDate(value: TimeInput, now: Date = new Date()): string {
  const date = toDate(value);
  return isValid(date) ? calendarDate(date, now) : '—';
}

/**
 * A UTC day key as the hub sends it ("2026-03-10", analytics buckets): "Mar 10", with the year
 * when it is not now's UTC year. Read as a UTC day, so no time zone shifts it to the day before.
 */
export function formatUtcDay(day: string, now: Date = new Date()): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (!isValid(date)) return day;
  return date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
    ...(date.getUTCFullYear() !== now.getUTCFullYear() ? { year: 'numeric' } : {}),
  });
}

/** The exact instant in UTC, for the title attribute: "2026-03-10 14:05:09 UTC". */
export function formatUtc(value: TimeInput): string {
  const date = toDate(value);
  if (!isValid(date)) return '';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A length of time, coarse: "42 s", "3 min", "2 h 5 min", "4 d 3 h". */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms < MINUTE_MS) return `${Math.floor(ms / 1000)} s`;
  if (ms < HOUR_MS) return `${Math.floor(ms / MINUTE_MS)} min`;
  if (ms < DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
}

/**
 * An age: "just now" under 5 s, then "12 s ago", "3 min ago", "2 h 5 min ago", "4 d 3 h ago"; past
 * a week the date itself ("Mar 10", with the year when it differs). A time in the future (clock
 * skew between hub and browser) reads as "just now".
 */
export function formatAgo(value: TimeInput, now: Date = new Date()): string {
  const date = toDate(value);
  if (!isValid(date)) return '—';
  const age = now.getTime() - date.getTime();
  if (age < 5_000) return 'just now';
  if (age >= 7 * DAY_MS) return formatDate(date, now);
  return `${formatDuration(age)} ago`;
}
