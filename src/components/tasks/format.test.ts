// Units: the deadline indicator, spans and the prompt's byte count.
import { describe, expect, it } from 'vitest';
import { deadlineIndicator, formatSpan, formatUsd, promptSize } from './format';

const now = Date.parse('2025-06-01T12:00:00.000Z');

describe('deadlineIndicator', () => {
  it('is absent without a deadline', () => {
    expect(deadlineIndicator(null, 'queued', now)).toBeNull();
  });

  it('flags an open task past its deadline as overdue', () => {
    expect(deadlineIndicator('2025-06-01T11:30:00.000Z', 'running', now)).toEqual({ tone: 'overdue', label: 'overdue 30m' });
  });

  it('warns within the hour and is calm beyond it', () => {
    expect(deadlineIndicator('2025-06-01T12:20:00.000Z', 'queued', now)).toEqual({ tone: 'soon', label: 'due in 20m' });
    expect(deadlineIndicator('2025-06-02T12:00:00.000Z', 'queued', now)?.tone).toBe('later');
  });

  it('never calls an ended task overdue', () => {
    expect(deadlineIndicator('2025-06-01T11:00:00.000Z', 'done', now)?.tone).toBe('met');
  });
});

describe('formatters', () => {
  it('formats spans and costs compactly', () => {
    expect(formatSpan(42_000)).toBe('42s');
    expect(formatSpan(3 * 3_600_000 + 5 * 60_000)).toBe('3h 5m');
    expect(formatSpan(2 * 86_400_000)).toBe('2d');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(12)).toBe('$12.00');
  });

  it('counts the prompt in UTF-8 bytes against the 8 KB limit', () => {
    expect(promptSize('é')).toEqual({ bytes: 2, limit: 8192, over: false });
    expect(promptSize('x'.repeat(8193)).over).toBe(true);
  });
});
