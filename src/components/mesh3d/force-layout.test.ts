// The mesh view's force simulation: the hub stays at the centre, agents settle on a shell around
// it without overlapping, the result is deterministic, and adding an agent keeps the others put.
import { describe, expect, it } from 'vitest';
import { createLayout, HUB_NODE_ID, layoutExtent, linkLengthFor, OUTER_RING, settleLayout, syncNodes, tickLayout, TICKS_TO_REST, type ForceLayout } from './force-layout';

function agents(count: number, radius = 0.6) {
  return Array.from({ length: count }, (_, index) => ({ id: `agent-${index}`, radius }));
}

function distance(a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}

function positions(layout: ForceLayout) {
  return layout.nodes.map((node) => [node.id, node.x, node.y, node.z]);
}

describe('force layout', () => {
  it('keeps the hub pinned at the origin and puts agents on a shell around it', () => {
    const layout = createLayout();
    syncNodes(layout, agents(12));
    const ticks = settleLayout(layout);
    expect(ticks).toBeGreaterThan(10);
    expect(ticks).toBeLessThan(1_000);
    const hub = layout.nodes[0]!;
    expect(hub.id).toBe(HUB_NODE_ID);
    expect([hub.x, hub.y, hub.z]).toEqual([0, 0, 0]);
    const length = linkLengthFor(12);
    for (const node of layout.nodes.slice(1)) {
      const fromHub = distance(node, hub);
      expect(fromHub).toBeGreaterThan(length * 0.7);
      expect(fromHub).toBeLessThan(length * 1.6);
    }
    expect(tickLayout(layout)).toBe(false);
  });

  it('spreads 100 agents without overlaps', () => {
    const layout = createLayout();
    syncNodes(layout, agents(100, 0.63));
    settleLayout(layout);
    const placed = layout.nodes.slice(1);
    let closest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < placed.length; i += 1) {
      for (let j = i + 1; j < placed.length; j += 1) closest = Math.min(closest, distance(placed[i]!, placed[j]!));
    }
    expect(closest).toBeGreaterThan(0.63 * 2);
    expect(layoutExtent(layout)).toBeLessThan(linkLengthFor(100) * 1.6 + 1);
  });

  it('is deterministic: the same agents give the same picture', () => {
    const first = createLayout();
    const second = createLayout();
    syncNodes(first, agents(20));
    syncNodes(second, agents(20));
    settleLayout(first);
    settleLayout(second);
    expect(positions(first)).toEqual(positions(second));
  });

  it('adding an agent keeps the placed ones where they are and reheats; removing drops it', () => {
    const layout = createLayout();
    syncNodes(layout, agents(5));
    settleLayout(layout);
    const before = positions(layout);
    expect(syncNodes(layout, agents(5))).toBe(false);
    expect(syncNodes(layout, agents(6))).toBe(true);
    expect(layout.alpha).toBe(1);
    expect(positions(layout).slice(0, 6)).toEqual(before);
    expect(layout.nodes.map((node) => node.id)).toContain('agent-5');

    syncNodes(layout, agents(6).filter((agent) => agent.id !== 'agent-2'));
    expect(layout.nodes.map((node) => node.id)).toEqual([HUB_NODE_ID, 'agent-0', 'agent-1', 'agent-3', 'agent-4', 'agent-5']);
  });

  it('follows a changed radius', () => {
    const layout = createLayout();
    syncNodes(layout, agents(3, 0.5));
    settleLayout(layout);
    expect(syncNodes(layout, agents(3, 0.9))).toBe(true);
    expect(layout.nodes.slice(1).map((node) => node.radius)).toEqual([0.9, 0.9, 0.9]);
  });

  it('hangs offline agents on an outer ring, beyond every online one', () => {
    const layout = createLayout();
    const online = agents(8);
    const offline = Array.from({ length: 4 }, (_, index) => ({ id: `offline-${index}`, radius: 0.6, ring: 'outer' as const }));
    syncNodes(layout, [...online, ...offline]);
    settleLayout(layout);
    const fromHub = (id: string) => distance(layout.nodes.find((node) => node.id === id)!, { x: 0, y: 0, z: 0 });
    const farthestOnline = Math.max(...online.map((agent) => fromHub(agent.id)));
    const nearestOffline = Math.min(...offline.map((agent) => fromHub(agent.id)));
    expect(nearestOffline).toBeGreaterThan(farthestOnline);
    expect(nearestOffline).toBeGreaterThan(linkLengthFor(12) * OUTER_RING * 0.8);
    // Going online moves an agent back to the inner ring (a change that reheats the layout).
    expect(syncNodes(layout, [...online, { ...offline[0]!, ring: 'inner' }, ...offline.slice(1)])).toBe(true);
  });

  it('lays agents out as a belt: none sits straight above or below the hub, where the camera looks past it', () => {
    const layout = createLayout();
    syncNodes(layout, agents(30));
    settleLayout(layout);
    for (const node of layout.nodes.slice(1)) {
      const horizontal = Math.hypot(node.x, node.z);
      expect(Math.abs(node.y)).toBeLessThan(horizontal);
    }
  });

  it('comes to rest in a known number of ticks (what the view spreads over its settle time)', () => {
    const layout = createLayout();
    syncNodes(layout, agents(40));
    expect(settleLayout(layout)).toBe(TICKS_TO_REST);
  });
});
