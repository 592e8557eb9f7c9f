// A horizontal bar chart in plain SVG: one row per item (label, bar, value), each bar made of
// coloured segments (e.g. a task count split by status). Drawn at the container's pixel width.
'use client';
import { CHAR_WIDTH, fitLabel } from './chart-scale';
import styles from './analytics.module.css';
import { useElementWidth } from './use-element-width';

export interface BarSegment {
  name: string;
  value: number;
  /** A CSS colour, from the theme's custom properties. */
  color: string;
}

export interface BarRow {
  key: string;
  label: string;
  segments: BarSegment[];
  /** Shown right of the bar. */
  valueLabel: string;
}

const ROW_HEIGHT = 30;
const BAR_HEIGHT = 16;
const GAP = 8;

export function HorizontalBars({ rows, max, label }: { rows: BarRow[]; /** Full-width value; default: the largest row. */ max?: number; label: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const height = rows.length * ROW_HEIGHT;
  const longestLabel = Math.max(...rows.map((row) => row.label.length), 4);
  const labelWidth = Math.min(Math.max(width * 0.32, 72), 190, longestLabel * CHAR_WIDTH + 4);
  const valueWidth = Math.max(...rows.map((row) => row.valueLabel.length), 1) * CHAR_WIDTH + 4;
  const barArea = Math.max(20, width - labelWidth - valueWidth - GAP * 2);
  const total = (row: BarRow) => row.segments.reduce((sum, segment) => sum + segment.value, 0);
  const largest = Math.max(0, ...rows.map(total));
  const fullScale = max ?? (largest > 0 ? largest : 1);

  return (
    <div ref={ref} className={styles.chartBox} style={{ minHeight: height }}>
      {width > 0 ? (
        <svg width={width} height={height} role="img" aria-label={label} className={styles.chart}>
          {rows.map((row, index) => {
            const top = index * ROW_HEIGHT;
            const barTop = top + (ROW_HEIGHT - BAR_HEIGHT) / 2;
            let x = labelWidth + GAP;
            return (
              <g key={row.key}>
                <title>{`${row.label}: ${row.valueLabel}${row.segments.length > 1 ? ` (${row.segments.filter((segment) => segment.value > 0).map((segment) => `${segment.name} ${segment.value}`).join(', ')})` : ''}`}</title>
                <text x={0} y={top + ROW_HEIGHT / 2} dominantBaseline="central" className={styles.axisText}>
                  {fitLabel(row.label, labelWidth)}
                </text>
                <rect x={labelWidth + GAP} y={barTop} width={barArea} height={BAR_HEIGHT} rx={3} style={{ fill: 'var(--surface-raised)' }} />
                {row.segments.map((segment) => {
                  const segmentWidth = (segment.value / fullScale) * barArea;
                  const rect =
                    segmentWidth > 0 ? <rect key={segment.name} x={x} y={barTop} width={segmentWidth} height={BAR_HEIGHT} style={{ fill: segment.color }} /> : null;
                  x += segmentWidth;
                  return rect;
                })}
                <text x={width} y={top + ROW_HEIGHT / 2} dominantBaseline="central" textAnchor="end" className={styles.valueText}>
                  {row.valueLabel}
                </text>
              </g>
            );
          })}
        </svg>
      ) : null}
    </div>
  );
}
