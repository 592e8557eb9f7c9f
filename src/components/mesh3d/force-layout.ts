// A small 3D force simulation for the mesh view: the hub is pinned at the origin, every agent
// hangs on a spring from it, and all nodes repel each other, so agents spread around the hub.
// A gentle pull towards the horizontal plane makes that a thick belt rather than a sphere: the
// camera looks from above it, so no node sits straight behind the hub. Offline agents hang on
// a longer spring, an outer ring, where they cannot hide behind the hub or the busy nodes. Pure and deterministic (no randomness, no DOM, no three.js) so it is unit
// tested and the picture is the same on every visit.

export const HUB_NODE_ID = 'hub';

export interface LayoutNode {
  id: string;
  radius: number;
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
  /** The hub: never moves. */
  pinned: boolean;
  /** Its spring's rest length relative to the layout's linkLength (1, or OUTER_RING for offline agents). */
  reach: number;
}

export interface ForceLayout {
  /** The hub first, then agents in the order they were added. */
  nodes: LayoutNode[];
  /** 1 after a change, decaying each tick; the simulation rests below ALPHA_MIN. */
  alpha: number;
  /** The spring's rest length for the current number of agents. */
  linkLength: number;
}

export interface LayoutNodeInput {
  id: string;
  radius: number;
  /** 'outer' (offline agents) hangs on a longer spring. Default 'inner'. */
  ring?: 'inner' | 'outer';
}

const ALPHA_MIN = 0.005;
const ALPHA_DECAY = 0.975;
const VELOCITY_KEEP = 0.6;
const SPRING = 0.08;
const CHARGE = 6;
const COLLISION_GAP = 0.35;
const MIN_DISTANCE = 0.05;
/** How much longer an outer-ring (offline) agent's spring is. */
export const OUTER_RING = 1.6;
/** The pull of each agent towards the horizontal plane (per unit of height, per tick). */
const FLATTEN = 0.025;

/** Ticks from a reheat (alpha 1) to rest: what the view spreads over its settle time. */
export const TICKS_TO_REST = Math.ceil(Math.log(ALPHA_MIN) / Math.log(ALPHA_DECAY));

/** Rest length of the hub–agent springs: room on the shell grows with the number of agents. */
export function linkLengthFor(agentCount: number): number {
  return Math.max(4, 0.75 * Math.sqrt(agentCount));
}

export function createLayout(hubRadius = 1.1): ForceLayout {
  return { nodes: [{ id: HUB_NODE_ID, radius: hubRadius, x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0, pinned: true, reach: 0 }], alpha: 1, linkLength: linkLengthFor(0) };
}

/** FNV-1a: a stable number per id, so a node starts in the same place on every visit. */
function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A direction on the unit sphere picked by the id's hash (uniform over the sphere). */
function startDirection(id: string): [number, number, number] {
  const hash = hashId(id);
  const u = (hash & 0xffff) / 0xffff;
  const v = (hash >>> 16) / 0xffff;
  const z = 2 * u - 1;
  const angle = 2 * Math.PI * v;
  const ring = Math.sqrt(1 - z * z);
  return [ring * Math.cos(angle), z, ring * Math.sin(angle)];
}

/**
 * Makes the layout hold exactly these agents: new ones start on the shell in their hashed
 * direction, gone ones are dropped, radii follow the input; nodes already placed keep their
 * positions. Reheats the simulation when anything changed. Returns whether it did.
 */
export function syncNodes(layout: ForceLayout, agents: readonly LayoutNodeInput[]): boolean {
  const wanted = new Map(agents.map((agent) => [agent.id, agent]));
  const before = layout.nodes.length;
  let changed = false;
  layout.nodes = layout.nodes.filter((node) => node.pinned || wanted.has(node.id));
  if (layout.nodes.length !== before) changed = true;
  const present = new Set(layout.nodes.map((node) => node.id));
  layout.linkLength = linkLengthFor(agents.length);
  for (const agent of agents) {
    if (agent.id === HUB_NODE_ID) continue;
    const reach = agent.ring === 'outer' ? OUTER_RING : 1;
    if (present.has(agent.id)) {
      const node = layout.nodes.find((candidate) => candidate.id === agent.id)!;
      if (node.radius !== agent.radius || node.reach !== reach) {
        node.radius = agent.radius;
        node.reach = reach;
        changed = true;
      }
      continue;
    }
    const [dx, dy, dz] = startDirection(agent.id);
    const length = layout.linkLength * reach;
    layout.nodes.push({ id: agent.id, radius: agent.radius, x: dx * length, y: dy * length * 0.5, z: dz * length, vx: 0, vy: 0, vz: 0, pinned: false, reach });
    changed = true;
  }
  if (changed) layout.alpha = 1;
  return changed;
}

/** One step of the simulation. Returns false once it has come to rest. */
export function tickLayout(layout: ForceLayout): boolean {
  if (layout.alpha < ALPHA_MIN) return false;
  const { nodes, alpha, linkLength } = layout;
  const count = nodes.length;

  // Repulsion (inverse square) and collision between every pair: n² is fine for a few hundred nodes.
  for (let i = 0; i < count; i += 1) {
    const a = nodes[i]!;
    for (let j = i + 1; j < count; j += 1) {
      const b = nodes[j]!;
      let dx = b.x - a.x;
      let dy = b.y - a.y;
      let dz = b.z - a.z;
      let distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (distance < MIN_DISTANCE) {
        // Coincident nodes: separate them along a direction fixed by their ids.
        [dx, dy, dz] = startDirection(`${a.id}/${b.id}`);
        distance = MIN_DISTANCE;
      } else {
        dx /= distance;
        dy /= distance;
        dz /= distance;
      }
      let push = (CHARGE * alpha) / (distance * distance);
      const overlap = a.radius + b.radius + COLLISION_GAP - distance;
      if (overlap > 0) push += overlap * 0.5;
      const shareA = a.pinned ? 0 : b.pinned ? 1 : 0.5;
      const shareB = b.pinned ? 0 : a.pinned ? 1 : 0.5;
      a.vx -= dx * push * shareA;
      a.vy -= dy * push * shareA;
      a.vz -= dz * push * shareA;
      b.vx += dx * push * shareB;
      b.vy += dy * push * shareB;
      b.vz += dz * push * shareB;
    }
  }

  // Springs from the hub (at the origin) to every agent, and the pull towards the belt's plane.
  for (const node of nodes) {
    if (node.pinned) continue;
    const distance = Math.max(MIN_DISTANCE, Math.sqrt(node.x * node.x + node.y * node.y + node.z * node.z));
    const pull = SPRING * (distance - linkLength * node.reach);
    node.vx -= (node.x / distance) * pull;
    node.vy -= (node.y / distance) * pull + node.y * FLATTEN;
    node.vz -= (node.z / distance) * pull;
  }

  for (const node of nodes) {
    if (node.pinned) {
      node.vx = node.vy = node.vz = 0;
      continue;
    }
    node.vx *= VELOCITY_KEEP;
    node.vy *= VELOCITY_KEEP;
    node.vz *= VELOCITY_KEEP;
    node.x += node.vx;
    node.y += node.vy;
    node.z += node.vz;
  }
  layout.alpha *= ALPHA_DECAY;
  return true;
}

/** Runs the simulation until it rests (or `maxTicks`): for tests and reduced-motion views. */
export function settleLayout(layout: ForceLayout, maxTicks = 1_000): number {
  let ticks = 0;
  while (ticks < maxTicks && tickLayout(layout)) ticks += 1;
  return ticks;
}

/** The distance from the hub to the farthest node's edge: what the camera must frame. */
export function layoutExtent(layout: ForceLayout): number {
  let extent = 0;
  for (const node of layout.nodes) extent = Math.max(extent, Math.sqrt(node.x * node.x + node.y * node.y + node.z * node.z) + node.radius);
  return extent;
}
