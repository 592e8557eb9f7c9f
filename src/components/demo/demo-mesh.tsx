// The demo's 3D mesh: the /mesh page's WebGL scene (src/components/mesh3d), fed with the
// redacted snapshot. Agents carry only their id, kind, status and slots; each used slot is drawn
// as an active task travelling between the hub and its agent. three.js loads only in the
// browser (next/dynamic), after the rest of the page.
'use client';
import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import type { DemoAgent } from '@/lib/demo';
import type { MeshAgent, MeshTask } from '../mesh3d/mesh-model';
import { usePalette, useReducedMotion } from '../mesh3d/use-scene-settings';
import styles from './demo.module.css';

const MeshCanvas = dynamic(() => import('../mesh3d/mesh-canvas'), {
  ssr: false,
  loading: () => <p className={styles.meshMessage}>Loading the 3D view…</p>,
});

export function DemoMesh({ agents }: { agents: readonly DemoAgent[] }) {
  const palette = usePalette();
  const reducedMotion = useReducedMotion();
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const meshAgents = useMemo<MeshAgent[]>(
    () =>
      agents.map((agent) => ({
        id: agent.id,
        // The demo has no display names or machines: the id stands in for both.
        name: agent.id,
        machine: '',
        kind: agent.kind,
        status: agent.status,
        maxConcurrent: agent.slotsTotal,
        activeTasks: agent.slotsUsed,
        capabilities: [],
        breakerState: 'closed',
        lastHeartbeatAt: null,
        synthetic: false,
      })),
    [agents],
  );
  const meshTasks = useMemo<MeshTask[]>(
    () =>
      agents.flatMap((agent) =>
        Array.from({ length: agent.slotsUsed }, (_, slot) => ({ id: `${agent.id}-${slot}`, title: '', agentId: agent.id, status: 'running', synthetic: false })),
      ),
    [agents],
  );
  const selected = agents.find((agent) => agent.id === selectedId) ?? null;

  return (
    <div className={styles.mesh} role="group" aria-label="3D mesh" data-agents={meshAgents.length} data-tasks={meshTasks.length}>
      {palette ? (
        <MeshCanvas agents={meshAgents} tasks={meshTasks} palette={palette} selectedId={selectedId} onSelect={setSelectedId} reducedMotion={reducedMotion} />
      ) : null}
      {agents.length === 0 ? <p className={styles.meshMessage}>No agents yet: the hub waits alone.</p> : null}
      <p className={styles.meshCaption} aria-live="polite">
        {selected ? `${selected.id} · ${selected.kind} · ${selected.status} · ${selected.slotsUsed}/${selected.slotsTotal} slots` : 'Drag to orbit · tap a node'}
      </p>
    </div>
  );
}
