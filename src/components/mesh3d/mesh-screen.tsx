// The /mesh page: agents and their active tasks from tRPC (refreshed by the live event stream),
// drawn by the WebGL scene, which next/dynamic loads in the browser only, so three.js stays
// out of every other page's JavaScript; a legend, and a panel with the chosen node's details.
'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useMemo, useState } from 'react';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { HUB_NODE_ID } from './force-layout';
import type { MeshSceneStats } from './mesh-canvas';
import { nodeState, syntheticMesh, type MeshAgent, type MeshTask } from './mesh-model';
import { NodeDetails } from './node-details';
import { useDemoCount, usePalette, useReducedMotion } from './use-scene-settings';
import styles from './mesh.module.css';

const MeshCanvas = dynamic(() => import('./mesh-canvas'), {
  ssr: false,
  loading: () => <p className={`muted ${styles.overlayMessage}`}>Loading the 3D view…</p>,
});

const ACTIVE_TASK_LIMIT = 500;

export function MeshScreen() {
  const trpc = useTRPC();
  const me = useMe();
  const readsTasks = can(me, 'tasks:read');
  const agentsQuery = useQuery(trpc.agents.list.queryOptions());
  const assignedQuery = useQuery(trpc.tasks.list.queryOptions({ status: 'assigned', limit: ACTIVE_TASK_LIMIT }, { enabled: readsTasks }));
  const runningQuery = useQuery(trpc.tasks.list.queryOptions({ status: 'running', limit: ACTIVE_TASK_LIMIT }, { enabled: readsTasks }));
  const demoCount = useDemoCount();
  const palette = usePalette();
  const reducedMotion = useReducedMotion();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [settled, setSettled] = useState(false);
  const [settleMs, setSettleMs] = useState<number | null>(null);
  const [stats, setStats] = useState<MeshSceneStats | null>(null);

  const synthetic = useMemo(() => syntheticMesh(demoCount), [demoCount]);
  const agents = useMemo<MeshAgent[]>(() => {
    const real = (agentsQuery.data ?? []).map((agent) => ({
      id: agent.id,
      name: agent.name,
      machine: agent.machine,
      kind: agent.kind,
      status: agent.status,
      maxConcurrent: agent.maxConcurrent,
      activeTasks: agent.activeTasks,
      capabilities: agent.capabilities,
      breakerState: agent.breaker.state,
      lastHeartbeatAt: agent.lastHeartbeatAt,
      synthetic: false,
    }));
    return [...real, ...synthetic.agents];
  }, [agentsQuery.data, synthetic]);
  const tasks = useMemo<MeshTask[]>(() => {
    const real = [...(assignedQuery.data?.tasks ?? []), ...(runningQuery.data?.tasks ?? [])]
      .filter((task) => task.assignedTo !== null)
      .map((task) => ({ id: task.id, title: task.title, agentId: task.assignedTo!, status: task.status, synthetic: false }));
    return [...real, ...synthetic.tasks];
  }, [assignedQuery.data, runningQuery.data, synthetic]);

  const counts = useMemo(() => {
    const byState = { online: 0, busy: 0, offline: 0, breaker: 0 };
    for (const agent of agents) byState[nodeState(agent)] += 1;
    return byState;
  }, [agents]);

  const selectedAgent = selectedId && selectedId !== HUB_NODE_ID ? (agents.find((agent) => agent.id === selectedId) ?? null) : null;
  const realAgentCount = agents.length - synthetic.agents.length;

  return (
    <div className={styles.page}>
      {demoCount > 0 ? (
        <p className={styles.syntheticBanner} role="status">
          <strong>Synthetic view</strong>: {synthetic.agents.length} made-up agents and {synthetic.tasks.length} made-up tasks (from <code>?demo={demoCount}</code>) are
          drawn in this browser only, to check the scene with many nodes; they are not in the mesh.
          {stats ? (
            <span className={styles.stats}>
              {' '}
              {stats.fps} fps · {stats.drawCalls} draw calls · {stats.triangles.toLocaleString()} triangles
            </span>
          ) : null}
        </p>
      ) : null}
      <div className={styles.layout}>
        <section className={styles.stage} aria-label="3D mesh" data-layout={settled ? 'settled' : 'settling'} data-settle-ms={settleMs ?? undefined} data-agents={agents.length} data-tasks={tasks.length}>
          {palette ? (
            <MeshCanvas
              agents={agents}
              tasks={tasks}
              palette={palette}
              selectedId={selectedId}
              onSelect={setSelectedId}
              reducedMotion={reducedMotion}
              onLayoutSettled={setSettled}
              onSettleTime={setSettleMs}
              onStats={demoCount > 0 ? setStats : undefined}
            />
          ) : null}
          {agentsQuery.isSuccess && agents.length === 0 ? (
            <p className={`muted ${styles.overlayMessage}`}>No agents yet: start a worker and it appears here.</p>
          ) : null}
          {agentsQuery.error ? <p className={`error ${styles.overlayMessage}`}>{agentsQuery.error.message}</p> : null}
          <ul className={styles.legend} aria-label="Legend">
            <li>
              <span className={styles.dot} data-status="online" /> online {counts.online}
            </li>
            <li>
              <span className={styles.dot} data-status="busy" /> busy {counts.busy}
            </li>
            <li>
              <span className={styles.dot} data-status="offline" /> offline {counts.offline}
            </li>
            {counts.breaker > 0 ? (
              <li>
                <span className={styles.dot} data-status="breaker" /> breaker open {counts.breaker}
              </li>
            ) : null}
            <li>
              <span className={styles.spark} /> active tasks {tasks.length}
            </li>
          </ul>
          <p className={`muted ${styles.hint}`}>Drag to orbit · pinch or scroll to zoom · tap a node</p>
        </section>
        <aside className={`card ${styles.panel}`} aria-label="Node details">
          <NodeDetails
            selectedId={selectedId}
            agent={selectedAgent}
            agents={agents}
            tasks={tasks}
            realAgentCount={realAgentCount}
            onSelect={setSelectedId}
          />
        </aside>
      </div>
    </div>
  );
}
