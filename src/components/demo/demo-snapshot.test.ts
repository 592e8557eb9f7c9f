// The demo's relative times, measured against the snapshot's own clock.
import { describe, expect, it } from 'vitest';
import { timeAgo } from './demo-snapshot';

describe('timeAgo', () => {
  const now = '2026-01-01T12:00:00.000Z';
  it('names seconds, minutes, hours and days', () => {
    expect(timeAgo('2026-01-01T11:59:58.000Z', now)).toBe('just now');
    expect(timeAgo('2026-01-01T11:59:18.000Z', now)).toBe('42 s ago');
    expect(timeAgo('2026-01-01T11:55:00.000Z', now)).toBe('5 min ago');
    expect(timeAgo('2026-01-01T09:00:00.000Z', now)).toBe('3 h ago');
    expect(timeAgo('2025-12-30T12:00:00.000Z', now)).toBe('2 d ago');
  });
  it('never goes negative when a time is ahead of the snapshot', () => {
    expect(timeAgo('2026-01-01T12:00:30.000Z', now)).toBe('just now');
  });
});
