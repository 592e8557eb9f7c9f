// The demo's agent grid: each agent's id, kind, status and slots (nothing else is public).
import type { DemoAgent } from '@/lib/demo';
import styles from './demo.module.css';

export function DemoAgentGrid({ agents }: { agents: readonly DemoAgent[] }) {
  if (agents.length === 0) return <p className={styles.empty}>No agents have joined this mesh yet.</p>;
  return (
    <ul className={styles.grid} aria-label="Agents">
      {agents.map((agent) => (
        <li key={agent.id} className={`card ${styles.agent}`} data-status={agent.status} aria-label={`Agent ${agent.id}`}>
          <div className={styles.agentHeader}>
            <h3 className={styles.agentId}>{agent.id}</h3>
            <span className={styles.status} data-status={agent.status}>
              {agent.status}
            </span>
          </div>
          <p className={styles.meta}>{agent.kind}</p>
          <Slots agentId={agent.id} used={agent.slotsUsed} total={agent.slotsTotal} />
        </li>
      ))}
    </ul>
  );
}

function Slots({ agentId, used, total }: { agentId: string; used: number; total: number }) {
  // A commander has no slots: the dispatcher never gives it work.
  if (total === 0) return <p className={styles.meta}>no task slots</p>;
  return (
    <div>
      <div className={styles.slotsLabel}>
        <span>slots</span>
        <span>
          {used}/{total}
        </span>
      </div>
      <div className={styles.slotsTrack} role="progressbar" aria-label={`Slots in use by ${agentId}`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={used}>
        <div className={styles.slotsFill} style={{ width: `${Math.min(100, Math.round((used / total) * 100))}%` }} data-full={used >= total} />
      </div>
    </div>
  );
}
