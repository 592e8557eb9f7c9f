// Which agents the create sheet says could take a task.
import { describe, expect, it } from 'vitest';
import { capableAgents, type PickerAgent } from './capability-picker';

const agent = (id: string, capabilities: string[], overrides: Partial<PickerAgent> = {}): PickerAgent => ({
  id,
  status: 'online',
  kind: 'desktop',
  maxConcurrent: 1,
  capabilities,
  breaker: { state: 'closed' },
  claimingPaused: null,
  tokensUsedToday: 0,
  effectiveDailyTokenBudget: 1_000,
  offlineSince: null,
  ...overrides,
});

describe('capableAgents', () => {
  it('lists workers offering the capability, online ones first, never commanders', () => {
    const agents = [agent('zed', ['gpu']), agent('ada', ['gpu'], { status: 'offline' }), agent('max', ['code']), agent('boss', ['gpu'], { kind: 'commander', maxConcurrent: 0 })];
    expect(capableAgents(agents, 'gpu').map((entry) => entry.id)).toEqual(['zed', 'ada']);
    expect(capableAgents(agents, ' ').map((entry) => entry.id)).toEqual(['max', 'zed', 'ada']);
    expect(capableAgents(agents, 'quantum')).toEqual([]);
  });
});
