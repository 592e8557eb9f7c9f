// The WebGL scene of the mesh view (three.js + @react-three/fiber; loaded only on /mesh through
// next/dynamic): the hub at the centre, agents as one instanced mesh laid out by the force
// simulation, hub–agent links as one line batch, and active tasks as one batch of glowing
// points travelling along the links. A handful of draw calls whatever the number of agents.
// Names are HTML labels over the canvas, placed each frame at their node's projected position
// (always readable, never hidden by the hub); offline agents hang on an outer ring, agents
// with an open breaker are drawn in the breaker colour. The layout settles in about
// SETTLE_SECONDS of wall time whatever the frame rate: most of it is run at once when the
// agents change (presettle), the rest by each frame running the ticks its time calls for.
'use client';
import { Canvas, useFrame, useThree, type ThreeEvent } from '@react-three/fiber';
import { useEffect, useMemo, useRef, type RefObject } from 'react';
import * as THREE from 'three';
import { createLayout, HUB_NODE_ID, layoutExtent, settleLayout, syncNodes, tickLayout, TICKS_TO_REST, type ForceLayout, type LayoutNode } from './force-layout';
import { nodeLabel, nodeRadius, nodeState, type MeshAgent, type MeshPalette, type MeshTask } from './mesh-model';
import { useOrbit, type OrbitState } from './use-orbit';
import styles from './mesh.module.css';

export interface MeshSceneStats {
  fps: number;
  drawCalls: number;
  triangles: number;
}

export interface MeshCanvasProps {
  agents: MeshAgent[];
  tasks: MeshTask[];
  palette: MeshPalette;
  selectedId: string | null;
  onSelect(id: string | null): void;
  /** prefers-reduced-motion: no auto-rotation, the layout settles at once, particles rest mid-link. */
  reducedMotion: boolean;
  onLayoutSettled?(settled: boolean): void;
  /** Milliseconds from a change of the agents (or the first frame) until the layout rested. */
  onSettleTime?(milliseconds: number): void;
  /** Called about once a second with the frame rate and draw calls (the synthetic view shows them). */
  onStats?(stats: MeshSceneStats): void;
}

const HUB_RADIUS = 1.1;
/** Wall time the layout takes to come to rest after a change. */
const SETTLE_SECONDS = 0.9;
/** A frame runs at most this many ticks (a stalled tab must not freeze on its return). */
const MAX_TICKS_PER_FRAME = 60;
/** Share of the ticks to rest run at once when the agents change, before the first frame. */
const PRESETTLE_SHARE = 0.6;
/** ...within this much main-thread time (a large mesh animates more of the way instead). */
const PRESETTLE_BUDGET_MS = 12;

/**
 * Runs the first, largest moves of the layout at once: the first frames of a fresh canvas are
 * slow (WebGL setup, shader compiles), and the big jumps are not worth watching anyway; the
 * last part of the settling is animated.
 */
function presettle(layout: ForceLayout): void {
  const started = performance.now();
  for (let tick = 0; tick < TICKS_TO_REST * PRESETTLE_SHARE && performance.now() - started < PRESETTLE_BUDGET_MS; tick += 1) {
    if (!tickLayout(layout)) break;
  }
}

/** Labels drawn at most (the selected node always has one): names, not a wall of text. */
const MAX_LABELS = 40;
/** Pixels a label keeps from the stage's edges. */
const LABEL_MARGIN = 4;
/** Pointer travel (px) past which a press is a drag, not a click. */
const CLICK_TOLERANCE = 6;
const PARTICLE_SPEED = 0.35;

export default function MeshCanvas(props: MeshCanvasProps) {
  const labels = useRef<HTMLDivElement>(null);
  const labelled = useMemo(() => {
    const first = props.agents.slice(0, MAX_LABELS);
    const selected = props.agents.find((agent) => agent.id === props.selectedId);
    return selected && !first.includes(selected) ? [...first, selected] : first;
  }, [props.agents, props.selectedId]);
  return (
    <div className={styles.canvasWrap}>
      <Canvas
        camera={{ fov: 50, near: 0.1, far: 500, position: [0, 4, 18] }}
        dpr={[1, 2]}
        gl={{ antialias: true, alpha: true, powerPreference: 'high-performance' }}
        onPointerMissed={() => props.onSelect(null)}
        style={{ touchAction: 'none' }}
      >
        <MeshScene {...props} labels={labels} />
      </Canvas>
      <div ref={labels} className={styles.labels} aria-hidden="true">
        {labelled.map((agent) => (
          <span key={agent.id} data-agent-id={agent.id} data-state={nodeState(agent)} data-selected={agent.id === props.selectedId || undefined} className={styles.label}>
            {nodeLabel(agent)}
          </span>
        ))}
      </div>
    </div>
  );
}

function MeshScene({
  agents,
  tasks,
  palette,
  selectedId,
  onSelect,
  reducedMotion,
  onLayoutSettled,
  onSettleTime,
  onStats,
  labels,
}: MeshCanvasProps & { labels: RefObject<HTMLDivElement | null> }) {
  const layout = useRef<ForceLayout>(createLayout(HUB_RADIUS));
  const nodesById = useRef(new Map<string, LayoutNode>());
  const settled = useRef<boolean | null>(null);
  /** Ticks owed by the wall time passed (fractions carry over to the next frame). */
  const tickDebt = useRef(0);
  /** When the current settling began (performance.now), for onSettleTime. */
  const settlingSince = useRef<number | null>(null);
  const orbit = useOrbit(reducedMotion);

  // Instance buffers grow in powers of two, so a few more agents do not rebuild the meshes.
  const capacity = useMemo(() => 2 ** Math.ceil(Math.log2(Math.max(16, agents.length))), [agents.length]);
  const particleCapacity = useMemo(() => 2 ** Math.ceil(Math.log2(Math.max(16, tasks.length))), [tasks.length]);

  useEffect(() => {
    const changed = syncNodes(
      layout.current,
      agents.map((agent) => ({ id: agent.id, radius: nodeRadius(agent.maxConcurrent), ring: agent.status === 'offline' ? ('outer' as const) : ('inner' as const) })),
    );
    if (changed || settlingSince.current === null) settlingSince.current = performance.now();
    if (reducedMotion) settleLayout(layout.current);
    else if (changed) presettle(layout.current);
    nodesById.current = new Map(layout.current.nodes.map((node) => [node.id, node]));
  }, [agents, reducedMotion]);

  useFrame((_, delta) => {
    tickDebt.current += (TICKS_TO_REST * Math.min(delta, 0.5)) / SETTLE_SECONDS;
    const ticks = Math.min(MAX_TICKS_PER_FRAME, Math.max(1, Math.floor(tickDebt.current)));
    tickDebt.current = Math.max(0, tickDebt.current - ticks);
    let moving = false;
    for (let tick = 0; tick < ticks; tick += 1) moving = tickLayout(layout.current) || moving;
    if (!moving) tickDebt.current = 0;
    orbit.current.extent = Math.max(layoutExtent(layout.current), layout.current.linkLength + HUB_RADIUS);
    if (settled.current !== !moving) {
      settled.current = !moving;
      onLayoutSettled?.(!moving);
      if (!moving && settlingSince.current !== null) onSettleTime?.(Math.round(performance.now() - settlingSince.current));
    }
  });

  return (
    <>
      <ambientLight intensity={0.9} />
      <directionalLight position={[8, 12, 10]} intensity={1.6} />
      <pointLight position={[0, 0, 0]} intensity={30} distance={40} color={palette.hub} />
      <Hub palette={palette} selected={selectedId === HUB_NODE_ID} onSelect={onSelect} />
      <AgentNodes key={`nodes-${capacity}`} capacity={capacity} agents={agents} nodesById={nodesById} palette={palette} onSelect={onSelect} />
      <Links key={`links-${capacity}`} capacity={capacity} agents={agents} nodesById={nodesById} palette={palette} />
      <Particles key={`particles-${particleCapacity}`} capacity={particleCapacity} tasks={tasks} nodesById={nodesById} palette={palette} reducedMotion={reducedMotion} />
      <SelectionHalo selectedId={selectedId} nodesById={nodesById} palette={palette} />
      <CameraRig orbit={orbit} />
      <LabelPlacer labels={labels} nodesById={nodesById} />
      {onStats ? <StatsProbe onStats={onStats} /> : null}
    </>
  );
}

/** A soft round sprite for glows: white in the middle, transparent at the edge. */
function useGlowTexture(): THREE.Texture {
  const texture = useMemo(() => {
    const size = 64;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d')!;
    const gradient = context.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size / 2);
    gradient.addColorStop(0, 'rgba(255,255,255,1)');
    gradient.addColorStop(0.25, 'rgba(255,255,255,0.8)');
    gradient.addColorStop(1, 'rgba(255,255,255,0)');
    context.fillStyle = gradient;
    context.fillRect(0, 0, size, size);
    return new THREE.CanvasTexture(canvas);
  }, []);
  useEffect(() => () => texture.dispose(), [texture]);
  return texture;
}

function isClick(event: ThreeEvent<MouseEvent>): boolean {
  return event.delta <= CLICK_TOLERANCE;
}

function setCursor(event: ThreeEvent<PointerEvent>, cursor: string) {
  const target = event.nativeEvent.target;
  if (target instanceof HTMLElement) target.style.cursor = cursor;
}

function Hub({ palette, selected, onSelect }: { palette: MeshPalette; selected: boolean; onSelect(id: string | null): void }) {
  const glow = useGlowTexture();
  return (
    <group>
      <mesh
        onClick={(event) => {
          if (!isClick(event)) return;
          event.stopPropagation();
          onSelect(selected ? null : HUB_NODE_ID);
        }}
        onPointerOver={(event) => setCursor(event, 'pointer')}
        onPointerOut={(event) => setCursor(event, '')}
      >
        <icosahedronGeometry args={[HUB_RADIUS, 3]} />
        {/* Translucent, and drawn without writing depth: a node behind the hub shows through it. */}
        <meshStandardMaterial color={palette.hub} emissive={palette.hub} emissiveIntensity={0.6} roughness={0.3} metalness={0.2} transparent opacity={0.8} depthWrite={false} />
      </mesh>
      <sprite scale={[3.6, 3.6, 1]}>
        <spriteMaterial map={glow} color={palette.hub} transparent opacity={0.55} depthWrite={false} blending={THREE.AdditiveBlending} />
      </sprite>
    </group>
  );
}

interface BatchProps {
  capacity: number;
  agents: MeshAgent[];
  nodesById: RefObject<Map<string, LayoutNode>>;
  palette: MeshPalette;
}

function stateColor(palette: MeshPalette, agent: MeshAgent): string {
  return palette[nodeState(agent)];
}

function AgentNodes({ capacity, agents, nodesById, palette, onSelect }: BatchProps & { onSelect(id: string | null): void }) {
  const mesh = useRef<THREE.InstancedMesh>(null);
  // Fewer facets as nodes multiply (and shrink on screen): triangles stay near 20k at 100 agents.
  const geometry = useMemo(() => (capacity <= 32 ? new THREE.SphereGeometry(1, 24, 16) : new THREE.SphereGeometry(1, 14, 9)), [capacity]);
  const material = useMemo(() => new THREE.MeshPhongMaterial({ shininess: 60, specular: 0x333333 }), []);
  const placement = useMemo(() => new THREE.Object3D(), []);
  useEffect(
    () => () => {
      geometry.dispose();
      material.dispose();
    },
    [geometry, material],
  );

  useEffect(() => {
    const instances = mesh.current;
    if (!instances) return;
    const color = new THREE.Color();
    agents.forEach((agent, index) => instances.setColorAt(index, color.set(stateColor(palette, agent))));
    if (instances.instanceColor) instances.instanceColor.needsUpdate = true;
  }, [agents, palette]);

  useFrame(() => {
    const instances = mesh.current;
    if (!instances) return;
    // Instance i is agents[i] (colours and clicks rely on it); a node not laid out yet is hidden.
    agents.forEach((agent, index) => {
      const node = nodesById.current.get(agent.id);
      placement.position.set(node?.x ?? 0, node?.y ?? 0, node?.z ?? 0);
      placement.scale.setScalar(node?.radius ?? 0);
      placement.updateMatrix();
      instances.setMatrixAt(index, placement.matrix);
    });
    instances.count = agents.length;
    instances.instanceMatrix.needsUpdate = true;
    // Clicks are raycast against the bounding sphere first: it must follow the moving nodes.
    instances.computeBoundingSphere();
  });

  return (
    <instancedMesh
      ref={mesh}
      args={[geometry, material, capacity]}
      frustumCulled={false}
      onClick={(event) => {
        if (!isClick(event) || event.instanceId === undefined) return;
        event.stopPropagation();
        const agent = agents[event.instanceId];
        if (agent) onSelect(agent.id);
      }}
      onPointerOver={(event) => setCursor(event, 'pointer')}
      onPointerOut={(event) => setCursor(event, '')}
    />
  );
}

function Links({ capacity, agents, nodesById, palette }: BatchProps) {
  const geometry = useMemo(() => {
    const batch = new THREE.BufferGeometry();
    batch.setAttribute('position', new THREE.BufferAttribute(new Float32Array(capacity * 6), 3));
    batch.setAttribute('color', new THREE.BufferAttribute(new Float32Array(capacity * 6), 3));
    return batch;
  }, [capacity]);
  useEffect(() => () => geometry.dispose(), [geometry]);

  useEffect(() => {
    const colors = geometry.getAttribute('color') as THREE.BufferAttribute;
    const hub = new THREE.Color(palette.link);
    const end = new THREE.Color();
    agents.forEach((agent, index) => {
      end.set(stateColor(palette, agent)).lerp(hub, 0.55);
      colors.setXYZ(index * 2, hub.r, hub.g, hub.b);
      colors.setXYZ(index * 2 + 1, end.r, end.g, end.b);
    });
    colors.needsUpdate = true;
  }, [agents, palette, geometry]);

  useFrame(() => {
    const positions = geometry.getAttribute('position') as THREE.BufferAttribute;
    agents.forEach((agent, index) => {
      const node = nodesById.current.get(agent.id);
      positions.setXYZ(index * 2, 0, 0, 0);
      positions.setXYZ(index * 2 + 1, node?.x ?? 0, node?.y ?? 0, node?.z ?? 0);
    });
    positions.needsUpdate = true;
    geometry.setDrawRange(0, agents.length * 2);
  });

  return (
    <lineSegments geometry={geometry} frustumCulled={false}>
      <lineBasicMaterial vertexColors transparent opacity={0.7} depthWrite={false} />
    </lineSegments>
  );
}

/** A stable phase per task id, so particles do not all move in step. */
function phaseOf(id: string): number {
  let hash = 0;
  for (let index = 0; index < id.length; index += 1) hash = (hash * 31 + id.charCodeAt(index)) >>> 0;
  return (hash % 1000) / 1000;
}

function Particles({
  capacity,
  tasks,
  nodesById,
  palette,
  reducedMotion,
}: {
  capacity: number;
  tasks: MeshTask[];
  nodesById: RefObject<Map<string, LayoutNode>>;
  palette: MeshPalette;
  reducedMotion: boolean;
}) {
  const glow = useGlowTexture();
  const geometry = useMemo(() => {
    const batch = new THREE.BufferGeometry();
    batch.setAttribute('position', new THREE.BufferAttribute(new Float32Array(capacity * 3), 3));
    batch.setAttribute('color', new THREE.BufferAttribute(new Float32Array(capacity * 3), 3));
    return batch;
  }, [capacity]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  const phases = useMemo(() => tasks.map((task) => phaseOf(task.id)), [tasks]);

  useEffect(() => {
    const colors = geometry.getAttribute('color') as THREE.BufferAttribute;
    const color = new THREE.Color();
    tasks.forEach((task, index) => {
      color.set(task.status === 'running' ? palette.running : palette.assigned);
      colors.setXYZ(index, color.r, color.g, color.b);
    });
    colors.needsUpdate = true;
  }, [tasks, palette, geometry]);

  useFrame((state) => {
    const positions = geometry.getAttribute('position') as THREE.BufferAttribute;
    const time = state.clock.elapsedTime * PARTICLE_SPEED;
    tasks.forEach((task, index) => {
      // A task of an agent not in the view (yet) rests in the hub.
      const node = nodesById.current.get(task.agentId);
      // Back and forth between hub and agent, eased at both ends; at rest mid-link under reduced motion.
      const cycle = reducedMotion ? 0.5 : (time + phases[index]!) % 2;
      const along = cycle < 1 ? cycle : 2 - cycle;
      const eased = along * along * (3 - 2 * along);
      positions.setXYZ(index, (node?.x ?? 0) * eased, (node?.y ?? 0) * eased, (node?.z ?? 0) * eased);
    });
    positions.needsUpdate = true;
    geometry.setDrawRange(0, tasks.length);
  });

  return (
    <points geometry={geometry} frustumCulled={false}>
      <pointsMaterial map={glow} size={1.5} sizeAttenuation vertexColors transparent depthWrite={false} blending={THREE.AdditiveBlending} />
    </points>
  );
}

function SelectionHalo({ selectedId, nodesById, palette }: { selectedId: string | null; nodesById: RefObject<Map<string, LayoutNode>>; palette: MeshPalette }) {
  const halo = useRef<THREE.Mesh>(null);
  useFrame((state) => {
    const mesh = halo.current;
    if (!mesh) return;
    const node = selectedId ? nodesById.current.get(selectedId) : undefined;
    mesh.visible = Boolean(node);
    if (!node) return;
    mesh.position.set(node.x, node.y, node.z);
    mesh.scale.setScalar(node.radius * 1.55);
    mesh.rotation.y = state.clock.elapsedTime * 0.8;
  });
  return (
    <mesh ref={halo} visible={false} raycast={() => undefined}>
      <icosahedronGeometry args={[1, 1]} />
      <meshBasicMaterial color={palette.selection} wireframe transparent opacity={0.55} />
    </mesh>
  );
}

/** Places the camera on its orbit around the hub, far enough to frame the whole layout. */
function CameraRig({ orbit }: { orbit: RefObject<OrbitState> }) {
  const { camera, size } = useThree();
  const distance = useRef(0);
  useFrame((_, delta) => {
    const state = orbit.current;
    const perspective = camera as THREE.PerspectiveCamera;
    const vertical = THREE.MathUtils.degToRad(perspective.fov);
    const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * (size.width / Math.max(1, size.height)));
    // Far enough that the layout's bounding sphere fits the narrower field of view from any angle.
    const target = ((state.extent + 0.3) / Math.sin(Math.min(vertical, horizontal) / 2)) * state.zoom;
    distance.current = distance.current === 0 ? target : THREE.MathUtils.damp(distance.current, target, 4, delta);
    const ring = distance.current * Math.cos(state.elevation);
    camera.position.set(ring * Math.sin(state.azimuth), distance.current * Math.sin(state.elevation), ring * Math.cos(state.azimuth));
    camera.lookAt(0, 0, 0);
  });
  return null;
}

/** Moves each HTML label to its node's projected position, just above the node; hides labels behind the camera. */
function LabelPlacer({ labels, nodesById }: { labels: RefObject<HTMLDivElement | null>; nodesById: RefObject<Map<string, LayoutNode>> }) {
  const { camera, size } = useThree();
  const point = useMemo(() => new THREE.Vector3(), []);
  useFrame(() => {
    const container = labels.current;
    if (!container) return;
    for (const element of container.children) {
      const label = element as HTMLElement;
      const node = nodesById.current.get(label.dataset.agentId ?? '');
      if (!node) {
        label.style.visibility = 'hidden';
        continue;
      }
      point.set(node.x, node.y + node.radius * 1.15, node.z).project(camera);
      const visible = point.z < 1;
      label.style.visibility = visible ? 'visible' : 'hidden';
      if (!visible) continue;
      // Centred over its node, but kept inside the stage so a node near the edge keeps a readable name.
      const width = label.offsetWidth;
      const x = Math.min(Math.max(((point.x + 1) / 2) * size.width - width / 2, LABEL_MARGIN), Math.max(LABEL_MARGIN, size.width - width - LABEL_MARGIN));
      const y = ((1 - point.y) / 2) * size.height;
      label.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(0, -100%)`;
    }
  });
  return null;
}

function StatsProbe({ onStats }: { onStats(stats: MeshSceneStats): void }) {
  const { gl } = useThree();
  const samples = useRef({ started: 0, frames: 0 });
  useFrame((state) => {
    const now = state.clock.elapsedTime;
    const sample = samples.current;
    if (sample.started === 0) sample.started = now;
    sample.frames += 1;
    if (now - sample.started < 1) return;
    // Read before this frame renders: the counters still hold the previous frame's totals.
    onStats({ fps: Math.round(sample.frames / (now - sample.started)), drawCalls: gl.info.render.calls, triangles: gl.info.render.triangles });
    sample.started = now;
    sample.frames = 0;
  });
  return null;
}
