// A line chart by day in plain SVG (the cost trend): an area under the line, the day's value on
// hover, round money ticks on the left.
'use client';
import { dayLabel, formatUsd, labelStride, niceMax, ticks } from './chart-scale';
import styles from './analytics.module.css';
import { useElementWidth } from './use-element-width';

export interface TrendPoint {
  day: string;
  value: number;
}

const HEIGHT = 190;
const AXIS_WIDTH = 52;
/** Room left and right of the line for the first and last day's label. */
const INSET = 20;
const BOTTOM = 24;
const TOP = 10;

export function TrendChart({ points, label, color }: { points: TrendPoint[]; label: string; color: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const plotWidth = Math.max(10, width - AXIS_WIDTH - INSET * 2);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const max = niceMax(Math.max(0, ...points.map((point) => point.value)));
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const x = (index: number) => AXIS_WIDTH + INSET + (points.length > 1 ? index * step : plotWidth / 2);
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const line = points.map((point, index) => `${x(index)},${y(point.value)}`).join(' ');
  const area = points.length > 0 ? `${x(0)},${y(0)} ${line} ${x(points.length - 1)},${y(0)}` : '';
  const labels = points.map((point) => dayLabel(point.day));
  const stride = labelStride(Math.max(step, 1), Math.max(5, ...labels.map((text) => text.length)));

  return (
    <div ref={ref} className={styles.chartBox} style={{ minHeight: HEIGHT }}>
      {width > 0 ? (
        <svg width={width} height={HEIGHT} role="img" aria-label={label} className={styles.chart}>
          {ticks(max).map((tick) => (
            <g key={tick}>
              <line x1={AXIS_WIDTH} x2={width} y1={y(tick)} y2={y(tick)} className={styles.gridLine} />
              <text x={AXIS_WIDTH - 6} y={y(tick)} dominantBaseline="central" textAnchor="end" className={styles.axisText}>
                {formatUsd(tick)}
              </text>
            </g>
          ))}
          <polygon points={area} style={{ fill: color, opacity: 0.15 }} />
          <polyline points={line} style={{ fill: 'none', stroke: color, strokeWidth: 2, strokeLinejoin: 'round' }} />
          {points.map((point, index) => (
            <g key={point.day}>
              <title>{`${labels[index]}: ${formatUsd(point.value)}`}</title>
              <rect x={x(index) - Math.max(step, 8) / 2} y={TOP} width={Math.max(step, 8)} height={plotHeight} style={{ fill: 'transparent' }} />
              {points.length <= 31 ? <circle cx={x(index)} cy={y(point.value)} r={3} style={{ fill: color }} /> : null}
              {index % stride === 0 ? (
                <text x={x(index)} y={HEIGHT - 6} textAnchor="middle" className={styles.axisText}>
                  {labels[index]}
                </text>
              ) : null}
            </g>
          ))}
        </svg>
      ) : null}
    </div>
  );
}
