// The shared time formats: local clock today, date (and year only when it differs) otherwise,
// UTC for the title, ages, and UTC day keys that no time zone moves.
import { describe, expect, it } from 'vitest';
import { formatAgo, formatDate, formatDateTime, formatDuration, formatUtc, formatUtcDay } from './time-format';

// Built from local parts, so the expectations hold in any time zone the tests run in.
const now = new Date(2026, 2, 10, 15, 30, 0);
const local = (month: number, day: number, hour: number, minute: number, year = 2026) => new Date(year, month - 1, day, hour, minute, 0);

describe('formatDateTime', () => {
  it('shows only the clock today, the date on other days and the year only when it differs', () => {
    expect(formatDateTime(local(3, 10, 9, 5), now)).toBe('09:05');
    const otherDay = formatDateTime(local(3, 8, 9, 5), now);
    expect(otherDay).toContain('09:05');
    expect(otherDay).toContain('8');
    expect(otherDay).not.toContain('2026');
    expect(formatDateTime(local(12, 31, 23, 59, 2025), now)).toContain('2025');
    expect(formatDateTime(local(3, 10, 9, 5, 2026).toISOString(), now)).toBe('09:05');
  });

  it('adds seconds on request and answers an unreadable value with a dash', () => {
    expect(formatDateTime(new Date(2026, 2, 10, 9, 5, 7), now, { seconds: true })).toBe('09:05:07');
    expect(formatDateTime('not a date', now)).toBe('—');
  });
});

describe('formatDate and formatUtcDay', () => {
  it('omits the current year and shows another', () => {
    expect(formatDate(local(3, 1, 0, 0), now)).not.toContain('2026');
    expect(formatDate(local(3, 1, 0, 0, 2024), now)).toContain('2024');
  });

  it('reads a day key as a UTC day, with the year only when it is not the current UTC year', () => {
    const label = formatUtcDay('2026-03-01', new Date('2026-06-01T12:00:00Z'));
    expect(label).toMatch(/\b1\b/);
    expect(label).not.toContain('2026');
    expect(formatUtcDay('2025-12-31', new Date('2026-01-02T12:00:00Z'))).toContain('2025');
    expect(formatUtcDay('2025-12-31', new Date('2026-01-02T12:00:00Z'))).toContain('31');
  });
});

describe('formatUtc', () => {
  it('gives the exact instant in UTC for hovering', () => {
    expect(formatUtc('2026-03-10T14:05:09.123Z')).toBe('2026-03-10 14:05:09 UTC');
    expect(formatUtc('garbage')).toBe('');
  });
});

describe('formatAgo and formatDuration', () => {
  it('reads ages coarsely and falls back to the date past a week', () => {
    const ago = (ms: number) => formatAgo(new Date(now.getTime() - ms), now);
    expect(ago(1_000)).toBe('just now');
    expect(ago(-60_000)).toBe('just now');
    expect(ago(42_000)).toBe('42 s ago');
    expect(ago(3 * 60_000 + 10_000)).toBe('3 min ago');
    expect(ago(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min ago');
    expect(ago(4 * 86_400_000 + 3 * 3_600_000)).toBe('4 d 3 h ago');
    expect(ago(10 * 86_400_000)).toBe(formatDate(new Date(now.getTime() - 10 * 86_400_000), now));
  });

  it('formats lengths of time', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(86_400_000)).toBe('1 d');
  });
});
