// A column chart of counts by day in plain SVG: stacked coloured segments per day (e.g. tasks
// finished done / failed / cancelled) and an optional marker line over them (e.g. tasks
// created). The axis has whole-number ticks only; day labels carry the year when it differs.
'use client';
import { countScale, dayLabel, labelStride } from './chart-scale';
import type { BarSegment } from './horizontal-bars';
import styles from './analytics.module.css';
import { useElementWidth } from './use-element-width';

export interface DayColumn {
  day: string;
  segments: BarSegment[];
  marker?: number;
}

const HEIGHT = 210;
const AXIS_WIDTH = 34;
const BOTTOM = 24;
const TOP = 8;

export function ColumnChart({ columns, label, markerColor }: { columns: DayColumn[]; label: string; markerColor?: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const plotWidth = Math.max(10, width - AXIS_WIDTH);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const largest = Math.max(0, ...columns.map((column) => Math.max(column.marker ?? 0, column.segments.reduce((sum, segment) => sum + segment.value, 0))));
  const { max, ticks } = countScale(largest);
  const labels = columns.map((column) => dayLabel(column.day));
  const columnWidth = plotWidth / Math.max(1, columns.length);
  const barWidth = Math.max(2, Math.min(36, columnWidth * 0.7));
  const stride = labelStride(columnWidth, Math.max(5, ...labels.map((text) => text.length)));
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const centre = (index: number) => AXIS_WIDTH + columnWidth * index + columnWidth / 2;
  const markerPoints = columns.map((column, index) => `${centre(index)},${y(column.marker ?? 0)}`).join(' ');

  return (
    <div ref={ref} className={styles.chartBox} style={{ minHeight: HEIGHT }}>
      {width > 0 ? (
        <svg width={width} height={HEIGHT} role="img" aria-label={label} className={styles.chart}>
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={AXIS_WIDTH} x2={width} y1={y(tick)} y2={y(tick)} className={styles.gridLine} />
              <text x={AXIS_WIDTH - 6} y={y(tick)} dominantBaseline="central" textAnchor="end" className={styles.axisText}>
                {tick}
              </text>
            </g>
          ))}
          {columns.map((column, index) => {
            let top = y(0);
            const total = column.segments.reduce((sum, segment) => sum + segment.value, 0);
            return (
              <g key={column.day}>
                <title>{`${labels[index]}: ${column.segments.map((segment) => `${segment.name} ${segment.value}`).join(', ')}${column.marker !== undefined ? `, created ${column.marker}` : ''}`}</title>
                {/* A transparent full-height target so the day's tooltip shows anywhere in its column. */}
                <rect x={AXIS_WIDTH + columnWidth * index} y={TOP} width={columnWidth} height={plotHeight} style={{ fill: 'transparent' }} />
                {total > 0
                  ? column.segments.map((segment) => {
                      const segmentHeight = (segment.value / max) * plotHeight;
                      top -= segmentHeight;
                      return segmentHeight > 0 ? (
                        <rect key={segment.name} x={centre(index) - barWidth / 2} y={top} width={barWidth} height={segmentHeight} style={{ fill: segment.color }} />
                      ) : null;
                    })
                  : null}
                {index % stride === 0 ? (
                  <text x={centre(index)} y={HEIGHT - 6} textAnchor="middle" className={styles.axisText}>
                    {labels[index]}
                  </text>
                ) : null}
              </g>
            );
          })}
          {markerColor && columns.some((column) => column.marker !== undefined) ? (
            <g>
              <polyline points={markerPoints} style={{ fill: 'none', stroke: markerColor, strokeWidth: 2 }} />
              {columns.length <= 31
                ? columns.map((column, index) => <circle key={column.day} cx={centre(index)} cy={y(column.marker ?? 0)} r={3} style={{ fill: markerColor }} />)
                : null}
            </g>
          ) : null}
        </svg>
      ) : null}
    </div>
  );
}
