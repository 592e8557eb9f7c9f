// The analytics quick view (analytics.summary): a row of figures above the charts.
'use client';
import type { AnalyticsSummary } from '@/lib/analytics';
import { formatUsd } from './chart-scale';
import styles from './analytics.module.css';

function Tile({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className={styles.tile}>
      <span className={styles.tileLabel}>{label}</span>
      <strong className={styles.tileValue}>{value}</strong>
      <span className="muted">{detail}</span>
    </div>
  );
}

export function SummaryTiles({ summary }: { summary: AnalyticsSummary }) {
  const { tasks, costs, agents } = summary;
  return (
    <section className={styles.tiles} aria-label="Summary">
      <Tile label="Tasks" value={String(tasks.total)} detail={tasks.successRatePercent === null ? 'none finished' : `${tasks.successRatePercent}% succeeded`} />
      <Tile label="In flight" value={String(tasks.active)} detail={`${tasks.queued} queued now`} />
      <Tile label="Spend" value={formatUsd(costs.totalCostUsd)} detail={`${formatUsd(costs.todayCostUsd)} today`} />
      <Tile label="Agents up" value={`${agents.online + agents.busy}/${agents.total}`} detail={`${agents.busy} busy · ${agents.offline} offline`} />
      <Tile label="Uptime" value={agents.averageUptimePercent === null ? '—' : `${agents.averageUptimePercent}%`} detail="average per agent" />
      <Tile label="Memory" value={String(summary.memoryCount)} detail="entries stored" />
    </section>
  );
}
