// What the 3D mesh view draws, independent of three.js: agents and active tasks as plain data,
// node sizes, and the synthetic nodes `?demo=N` adds to the view (never to the mesh) to check
// that the scene stays smooth with many agents.

export interface MeshAgent {
  id: string;
  name: string;
  machine: string;
  kind: string;
  /** online | busy | offline */
  status: string;
  maxConcurrent: number;
  activeTasks: number;
  capabilities: string[];
  breakerState: string;
  lastHeartbeatAt: string | null;
  /** Made up by `?demo=N`: exists only in this browser view. */
  synthetic: boolean;
}

export interface MeshTask {
  id: string;
  title: string;
  agentId: string;
  /** assigned | running */
  status: string;
  synthetic: boolean;
}

/** Colours the scene takes from the page's CSS custom properties. */
export interface MeshPalette {
  online: string;
  busy: string;
  offline: string;
  /** An agent whose circuit breaker is open (or half-open): dispatch skips it. */
  breaker: string;
  hub: string;
  link: string;
  running: string;
  assigned: string;
  selection: string;
}

export const MAX_DEMO_NODES = 500;

/** Whether the agent's breaker keeps work from it (open, or half-open waiting for its probe). */
export function breakerTripped(agent: Pick<MeshAgent, 'breakerState'>): boolean {
  return agent.breakerState === 'open' || agent.breakerState === 'half_open';
}

/** What a node's colour stands for: an open breaker outranks the status it has beside it. */
export function nodeState(agent: Pick<MeshAgent, 'status' | 'breakerState'>): 'online' | 'busy' | 'offline' | 'breaker' {
  if (agent.status === 'offline') return 'offline';
  if (breakerTripped(agent)) return 'breaker';
  return agent.status === 'busy' ? 'busy' : 'online';
}

/** A node's label: its name, and what keeps it from work. */
export function nodeLabel(agent: Pick<MeshAgent, 'name' | 'status' | 'breakerState'>): string {
  const state = nodeState(agent);
  if (state === 'breaker') return `${agent.name} · breaker ${agent.breakerState === 'half_open' ? 'half-open' : 'open'}`;
  if (state === 'offline') return `${agent.name} · offline`;
  return agent.name;
}
const SYNTHETIC_CAPABILITIES = ['code', 'research', 'summarize', 'chat', 'triage', 'review'];

/** Node radius in scene units: grows with the agent's capacity (max concurrent tasks), gently. */
export function nodeRadius(maxConcurrent: number): number {
  return Math.min(1.2, 0.45 + 0.18 * Math.sqrt(Math.max(0, maxConcurrent)));
}

/** `?demo=100` → 100; absent, malformed or non-positive → 0; capped at MAX_DEMO_NODES. */
export function parseDemoCount(search: string): number {
  const value = new URLSearchParams(search).get('demo');
  if (value === null || !/^\d{1,4}$/.test(value)) return 0;
  return Math.min(MAX_DEMO_NODES, Number(value));
}

/** A small deterministic generator (mulberry32), so the synthetic view is the same every time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` made-up agents (about 60 % online, 30 % busy, 10 % offline) and a task per busy slot. */
export function syntheticMesh(count: number): { agents: MeshAgent[]; tasks: MeshTask[] } {
  const random = seededRandom(count);
  const agents: MeshAgent[] = [];
  const tasks: MeshTask[] = [];
  for (let index = 1; index <= count; index += 1) {
    const id = `synthetic-${String(index).padStart(3, '0')}`;
    const roll = random();
    const status = roll < 0.6 ? 'online' : roll < 0.9 ? 'busy' : 'offline';
    const maxConcurrent = 1 + Math.floor(random() * 8);
    const activeTasks = status === 'busy' ? 1 + Math.floor(random() * maxConcurrent) : 0;
    const capabilities = SYNTHETIC_CAPABILITIES.filter(() => random() < 0.4);
    agents.push({
      id,
      name: id,
      machine: 'synthetic',
      kind: 'desktop',
      status,
      maxConcurrent,
      activeTasks,
      capabilities: capabilities.length > 0 ? capabilities : ['chat'],
      breakerState: 'closed',
      lastHeartbeatAt: null,
      synthetic: true,
    });
    for (let slot = 0; slot < activeTasks; slot += 1) {
      tasks.push({ id: `${id}-task-${slot}`, title: `synthetic task ${slot + 1}`, agentId: id, status: slot % 3 === 0 ? 'assigned' : 'running', synthetic: true });
    }
  }
  return { agents, tasks };
}
