import { formatUtcDay } from '@/lib/time-format';

// Number helpers the SVG charts share: a round axis maximum, evenly spaced ticks, which day
// labels fit, and truncating labels to a width (the monospace font makes widths predictable).

/** Approximate advance of one JetBrains Mono character at the charts' 12 px. */
export const CHAR_WIDTH = 7.3;

/** The smallest 1/2/2.5/5 × 10^n at or above `value` (1 for zero or less). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude + 1e-9) return step * magnitude;
  }
  return 10 * magnitude;
}

/** 0, max/2, max: enough to read a bar's height without clutter (money, fractions). */
export function ticks(max: number): number[] {
  return [0, max / 2, max];
}

/**
 * A count axis: a whole-number maximum at or above `largest` and whole-number ticks only
 * (no "0.5 tasks"): [0, 1] for a largest of 0 or 1, the middle tick only when it is whole.
 */
export function countScale(largest: number): { max: number; ticks: number[] } {
  const max = Math.max(1, Math.ceil(niceMax(Math.ceil(Math.max(0, largest)))));
  const middle = max / 2;
  return { max, ticks: Number.isInteger(middle) && middle > 0 ? [0, middle, max] : [0, max] };
}

/** Every how many columns a label fits, given the width per column and the label's length. */
export function labelStride(columnWidth: number, labelChars: number): number {
  const needed = labelChars * CHAR_WIDTH + 8;
  return Math.max(1, Math.ceil(needed / Math.max(1, columnWidth)));
}

/** Cuts a label to what fits in `width` pixels, marking the cut with an ellipsis. */
export function fitLabel(label: string, width: number): string {
  const chars = Math.max(1, Math.floor(width / CHAR_WIDTH));
  return label.length <= chars ? label : `${label.slice(0, Math.max(1, chars - 1))}…`;
}

/** A UTC day key on an axis: "Mar 10", or "Dec 31, 2025" when not this year (the shared format). */
export function dayLabel(day: string, now: Date = new Date()): string {
  return formatUtcDay(day, now);
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}
