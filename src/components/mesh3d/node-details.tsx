// The mesh view's side panel: the chosen agent's details (name, status, slots, capabilities,
// its active tasks), the hub's when the hub is chosen, and otherwise every agent as a button,
// so the view is usable without hitting small nodes (keyboards, screen readers, phones).
'use client';
import Link from 'next/link';
import { TimeStamp } from '../time/time-stamp';
import { HUB_NODE_ID } from './force-layout';
import { breakerTripped, nodeState, type MeshAgent, type MeshTask } from './mesh-model';
import styles from './mesh.module.css';

interface NodeDetailsProps {
  selectedId: string | null;
  agent: MeshAgent | null;
  agents: MeshAgent[];
  tasks: MeshTask[];
  realAgentCount: number;
  onSelect(id: string | null): void;
}

export function NodeDetails({ selectedId, agent, agents, tasks, realAgentCount, onSelect }: NodeDetailsProps) {
  if (agent) return <AgentDetails agent={agent} tasks={tasks.filter((task) => task.agentId === agent.id)} onClose={() => onSelect(null)} />;
  if (selectedId === HUB_NODE_ID) return <HubDetails agents={agents} tasks={tasks} realAgentCount={realAgentCount} onClose={() => onSelect(null)} />;
  return <AgentPicker agents={agents} onSelect={onSelect} />;
}

function AgentDetails({ agent, tasks, onClose }: { agent: MeshAgent; tasks: MeshTask[]; onClose(): void }) {
  return (
    <div className={styles.details}>
      <header className={styles.detailsHeader}>
        <h2>{agent.name}</h2>
        <button className="secondary" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </header>
      {agent.synthetic ? <p className={styles.syntheticTag}>Synthetic node: drawn for the ?demo view only, not in the mesh.</p> : null}
      <dl className={styles.facts}>
        <dt>Status</dt>
        <dd>
          <span className={styles.dot} data-status={nodeState(agent)} /> {agent.status}
        </dd>
        <dt>Slots</dt>
        <dd>
          {agent.activeTasks} of {agent.maxConcurrent} in use
        </dd>
        <dt>Id</dt>
        <dd>{agent.id}</dd>
        <dt>Machine</dt>
        <dd>
          {agent.machine || '—'} · {agent.kind}
        </dd>
        <dt>Breaker</dt>
        <dd className={breakerTripped(agent) ? 'error' : undefined}>{agent.breakerState === 'half_open' ? 'half-open' : agent.breakerState}</dd>
        <dt>Heartbeat</dt>
        <dd>{agent.lastHeartbeatAt ? <TimeStamp value={agent.lastHeartbeatAt} mode="ago" /> : '—'}</dd>
      </dl>
      <h3>Capabilities</h3>
      {agent.capabilities.length > 0 ? (
        <ul className={styles.chips}>
          {agent.capabilities.map((capability) => (
            <li key={capability}>{capability}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">Any task (no capabilities declared).</p>
      )}
      <h3>Active tasks</h3>
      {tasks.length > 0 ? (
        <ul className={styles.taskList}>
          {tasks.map((task) => (
            <li key={task.id}>
              <span className={styles.spark} data-status={task.status} />{' '}
              {task.synthetic ? task.title : <Link href={`/tasks/${task.id}`}>{task.title}</Link>} <span className="muted">({task.status})</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None.</p>
      )}
    </div>
  );
}

function HubDetails({ agents, tasks, realAgentCount, onClose }: { agents: MeshAgent[]; tasks: MeshTask[]; realAgentCount: number; onClose(): void }) {
  const slots = agents.reduce((sum, agent) => sum + (agent.status === 'offline' ? 0 : agent.maxConcurrent), 0);
  return (
    <div className={styles.details}>
      <header className={styles.detailsHeader}>
        <h2>Hub</h2>
        <button className="secondary" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </header>
      <p className="muted">Routes every task to an agent and holds the mesh’s state.</p>
      <dl className={styles.facts}>
        <dt>Agents</dt>
        <dd>
          {realAgentCount}
          {agents.length > realAgentCount ? ` (+${agents.length - realAgentCount} synthetic)` : ''}
        </dd>
        <dt>Active tasks</dt>
        <dd>{tasks.length}</dd>
        <dt>Open slots</dt>
        <dd>{Math.max(0, slots - tasks.length)}</dd>
      </dl>
    </div>
  );
}

function AgentPicker({ agents, onSelect }: { agents: MeshAgent[]; onSelect(id: string | null): void }) {
  return (
    <div className={styles.details}>
      <h2>Mesh</h2>
      <p className="muted">
        Node colour is status, size is capacity; glowing points are active tasks travelling between the hub and their agent. Choose a node for its details.
      </p>
      <button className="secondary" onClick={() => onSelect(HUB_NODE_ID)}>
        Hub
      </button>
      {agents.length > 0 ? (
        <details className={styles.pickerList} open={agents.length <= 12}>
          <summary>Agents ({agents.length})</summary>
          <ul>
            {agents.map((agent) => (
              <li key={agent.id}>
                <button className="secondary" onClick={() => onSelect(agent.id)}>
                  <span className={styles.dot} data-status={nodeState(agent)} /> {agent.name}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
