// The charts' number helpers: round axis maxima, label spacing and label truncation.
import { describe, expect, it } from 'vitest';
import { fitLabel, formatUsd, labelStride, niceMax, shortDay } from './chart-scale';

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

  it('formats days and dollars', () => {
    expect(shortDay('2026-03-10')).toBe('03-10');
    expect([0, 0.004, 1.5].map(formatUsd)).toEqual(['$0', '$0.0040', '$1.50']);
  });
});
