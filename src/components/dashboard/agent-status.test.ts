// The agent card's status line: breaker, load gate, budget and how long an agent has been offline.
import { describe, expect, it } from 'vitest';
import { agentStatusLabel, type AgentStatusInput } from './agent-status';

const now = Date.parse('2026-03-01T12:00:00Z');
const base: AgentStatusInput = { status: 'online', breaker: { state: 'closed' }, claimingPaused: null, tokensUsedToday: 0, effectiveDailyTokenBudget: 1_000, offlineSince: null };

describe('agentStatusLabel', () => {
  it('shows the registry status when nothing holds the agent back', () => {
    expect(agentStatusLabel(base, now)).toEqual({ tone: 'online', label: 'online', detail: null });
    expect(agentStatusLabel({ ...base, status: 'busy' }, now).label).toBe('busy');
  });

  it('says how long an offline agent has been gone', () => {
    expect(agentStatusLabel({ ...base, status: 'offline', offlineSince: '2026-03-01T11:57:00Z' }, now).label).toBe('offline 3 min');
    expect(agentStatusLabel({ ...base, status: 'offline', offlineSince: '2026-03-01T09:00:00Z' }, now).label).toBe('offline 3 h');
    expect(agentStatusLabel({ ...base, status: 'offline', offlineSince: '2026-02-25T12:00:00Z' }, now).label).toBe('offline 4 d');
    expect(agentStatusLabel({ ...base, status: 'offline' }, now).label).toBe('offline');
  });

  it('reflects an open breaker, a paused load gate and a spent budget', () => {
    expect(agentStatusLabel({ ...base, breaker: { state: 'open' } }, now)).toMatchObject({ tone: 'held', label: 'breaker open' });
    expect(agentStatusLabel({ ...base, claimingPaused: 'load 9.2 > 8' }, now)).toMatchObject({ tone: 'held', label: 'paused', detail: expect.stringContaining('load 9.2 > 8') });
    expect(agentStatusLabel({ ...base, tokensUsedToday: 1_000 }, now)).toMatchObject({ tone: 'held', label: 'budget spent', detail: expect.stringContaining('1,000 of 1,000') });
  });
});
