// Each reason a queued task can wait for, computed from a capacity picture built by hand.
import { describe, expect, it } from 'vitest';
import { describeWaitReason } from '@/lib/wait-reasons';
import { emptyCapacity, MeshCapacity, utcDayOf, type AgentCapacity } from './mesh-capacity';
import { waitReasonFor, type WaitingTask } from './wait-reasons';

const now = new Date('2026-03-01T12:00:00Z');
const settings = { breaker: { failureThreshold: 3, cooldownMs: 60_000 }, defaultDailyTokenBudget: 1_000 };

function agent(id: string, overrides: Partial<AgentCapacity> = {}): AgentCapacity {
  return { ...emptyCapacity({ id, name: `${id}-name`, kind: 'desktop', status: 'online', maxConcurrent: 1 }), ...overrides };
}

function mesh(...agents: AgentCapacity[]): MeshCapacity {
  const capacity = new MeshCapacity(settings);
  capacity.replaceAll(agents);
  return capacity;
}

const queued = (overrides: Partial<WaitingTask> = {}): WaitingTask => ({ status: 'queued', requiredCapability: null, assignTo: null, assignedTo: null, ...overrides });
const openBreaker = { state: 'open' as const, consecutiveFailures: 3, openedAt: new Date(now.getTime() - 1_000), probeTaskId: null };

describe('waitReasonFor', () => {
  it('names the capability no online agent offers', () => {
    const reason = waitReasonFor(queued({ requiredCapability: 'gpu' }), mesh(agent('a', { capabilities: new Set(['code']) }), agent('b')), now);
    expect(reason).toEqual({ kind: 'no_capable_agent', capability: 'gpu' });
    expect(describeWaitReason(reason!)).toBe('no online agent offers `gpu`');
  });

  it('says so when no agent at all is online', () => {
    expect(waitReasonFor(queued(), mesh(), now)).toEqual({ kind: 'no_capable_agent', capability: null });
  });

  it('ignores commanders: they never take work', () => {
    expect(waitReasonFor(queued(), mesh(agent('boss', { kind: 'commander', maxConcurrent: 0 })), now)).toEqual({ kind: 'no_capable_agent', capability: null });
  });

  it('waits for an unfinished parent first', () => {
    const reason = waitReasonFor(queued({ unfinishedParent: { id: 't1', title: 'fetch data' } }), mesh(agent('a')), now);
    expect(reason).toEqual({ kind: 'waiting_for_parent', parentId: 't1', parentTitle: 'fetch data' });
    expect(describeWaitReason(reason!)).toBe('waiting for parent "fetch data"');
  });

  it('names the preferred agent when it and every other capable agent are offline', () => {
    const capacity = mesh(agent('rex', { status: 'offline' }), agent('max', { status: 'offline' }));
    const reason = waitReasonFor(queued({ assignTo: 'rex' }), capacity, now);
    expect(reason).toEqual({ kind: 'agent_offline', agentId: 'rex', agentName: 'rex-name' });
    expect(describeWaitReason(reason!)).toBe('agent rex-name is offline');
  });

  it('names the only capable agent when it is offline', () => {
    const capacity = mesh(agent('rex', { status: 'offline', capabilities: new Set(['gpu']) }), agent('max'));
    expect(waitReasonFor(queued({ requiredCapability: 'gpu' }), capacity, now)).toEqual({ kind: 'agent_offline', agentId: 'rex', agentName: 'rex-name' });
  });

  it('counts busy slots when every capable agent is full', () => {
    const capacity = mesh(agent('a', { status: 'busy', activeTasks: 2, maxConcurrent: 2 }), agent('b', { status: 'busy', activeTasks: 1, maxConcurrent: 1 }));
    const reason = waitReasonFor(queued(), capacity, now);
    expect(reason).toEqual({ kind: 'all_busy', busySlots: 3, totalSlots: 3 });
    expect(describeWaitReason(reason!)).toBe('all capable agents are busy (3/3)');
  });

  it('names an open breaker on the only capable agent', () => {
    const reason = waitReasonFor(queued(), mesh(agent('a', { breaker: openBreaker })), now);
    expect(reason).toEqual({ kind: 'breaker_open', agentIds: ['a'] });
    expect(describeWaitReason(reason!)).toBe('breaker open on the only capable agent (a)');
  });

  it('lets a breaker whose cooldown passed take a probe', () => {
    const cooled = { ...openBreaker, openedAt: new Date(now.getTime() - 120_000) };
    expect(waitReasonFor(queued(), mesh(agent('a', { breaker: cooled })), now)).toEqual({ kind: 'dispatching' });
  });

  it('says the budget is spent when every capable agent used its daily tokens', () => {
    const spent = { tokensToday: 1_000, usageDay: utcDayOf(now) };
    const reason = waitReasonFor(queued(), mesh(agent('a', spent), agent('b', { ...spent, dailyTokenBudget: 500 })), now);
    expect(reason).toEqual({ kind: 'budget_spent', agentIds: ['a', 'b'] });
    expect(describeWaitReason(reason!)).toBe('daily token budget spent on all 2 capable agents');
  });

  it('does not count yesterday’s tokens against today’s budget', () => {
    expect(waitReasonFor(queued(), mesh(agent('a', { tokensToday: 5_000, usageDay: '2026-02-28' })), now)).toEqual({ kind: 'dispatching' });
  });

  it('says claiming is paused by the load gate', () => {
    const reason = waitReasonFor(queued(), mesh(agent('a', { claimingPaused: 'load 9.1 > 8' })), now);
    expect(reason).toEqual({ kind: 'claiming_paused', agentIds: ['a'], reason: 'load 9.1 > 8' });
    expect(describeWaitReason(reason!)).toBe('claiming paused (load 9.1 > 8) on the only capable agent (a)');
  });

  it('counts each cause when capable agents are held back for different reasons', () => {
    const code = new Set(['code']);
    const capacity = mesh(agent('a', { activeTasks: 1, capabilities: code }), agent('b', { breaker: openBreaker, capabilities: code }), agent('c', { activeTasks: 1, capabilities: code }), agent('d', { capabilities: new Set(['other']) }));
    const reason = waitReasonFor(queued({ requiredCapability: 'code' }), capacity, now);
    expect(reason).toEqual({ kind: 'no_free_agent', busy: 2, breakerOpen: 1, budgetSpent: 0, claimingPaused: 0 });
    expect(describeWaitReason(reason!)).toBe('no capable agent is free (2 busy, 1 breaker open)');
  });

  it('is dispatching when a capable agent has room', () => {
    expect(waitReasonFor(queued({ requiredCapability: 'code' }), mesh(agent('a', { capabilities: new Set(['code']) })), now)).toEqual({ kind: 'dispatching' });
  });

  it('waits for the claim of an assigned task, and has no reason for running or finished ones', () => {
    expect(waitReasonFor({ ...queued(), status: 'assigned', assignedTo: 'a' }, mesh(agent('a')), now)).toEqual({ kind: 'awaiting_claim', agentId: 'a' });
    for (const status of ['running', 'done', 'failed', 'cancelled', 'suspended']) expect(waitReasonFor({ ...queued(), status }, mesh(agent('a')), now)).toBeNull();
  });
});
