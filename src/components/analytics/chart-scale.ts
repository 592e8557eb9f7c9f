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

/** 0, max/2, max: enough to read a bar's height without clutter. */
export function ticks(max: number): number[] {
  return [0, max / 2, max];
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

/** 2026-03-10 → 03-10 */
export function shortDay(day: string): string {
  return day.slice(5);
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}
