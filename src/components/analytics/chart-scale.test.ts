// The charts' number helpers: round axis maxima, label spacing and label truncation.
import { describe, expect, it } from 'vitest';
import { countScale, dayLabel, fitLabel, formatUsd, labelStride, niceMax } from './chart-scale';

describe('chart scale', () => {
  it('rounds an axis maximum up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, -3, 0.3, 1, 1.2, 2.2, 3, 7, 10, 11, 240].map(niceMax)).toEqual([1, 1, 0.5, 1, 2, 2.5, 5, 10, 10, 20, 250]);
  });

  it('labels every column when they are wide, every few when they are narrow', () => {
    expect(labelStride(100, 5)).toBe(1);
    expect(labelStride(10, 5)).toBe(5);
  });

  it('cuts long labels with an ellipsis to fit the width', () => {
    expect(fitLabel('rex', 100)).toBe('rex');
    expect(fitLabel('a-very-long-agent-name', 73)).toBe('a-very-lo…');
  });

  it('puts only whole numbers on a count axis', () => {
    expect(countScale(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(countScale(1)).toEqual({ max: 1, ticks: [0, 1] });
    expect(countScale(2)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(countScale(2.2)).toEqual({ max: 5, ticks: [0, 5] });
    expect(countScale(3)).toEqual({ max: 5, ticks: [0, 5] });
    expect(countScale(7)).toEqual({ max: 10, ticks: [0, 5, 10] });
    expect(countScale(240)).toEqual({ max: 250, ticks: [0, 125, 250] });
    for (let largest = 0; largest < 60; largest += 1) {
      const scale = countScale(largest);
      expect(scale.max).toBeGreaterThanOrEqual(largest);
      expect(scale.ticks.every(Number.isInteger)).toBe(true);
    }
  });

  it('formats days (the year only when it differs) and dollars', () => {
    const now = new Date('2026-03-12T12:00:00Z');
    expect(dayLabel('2026-03-10', now)).not.toContain('2026');
    expect(dayLabel('2025-12-31', now)).toContain('2025');
    expect([0, 0.004, 1.5].map(formatUsd)).toEqual(['$0', '$0.0040', '$1.50']);
  });
});
