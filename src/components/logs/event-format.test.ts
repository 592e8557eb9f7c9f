// The logs page's reading of events: colour families, the agents an event concerns, summaries.
import { describe, expect, it } from 'vitest';
import type { StreamItem, TaskEventView } from '@/lib/events';
import { agentsOf, inFamily, summarize, toneOf } from './event-format';

const ts = '2025-01-01T12:00:00.000Z';
const taskView: TaskEventView = {
  taskId: 't1',
  title: 'Research pricing',
  status: 'assigned',
  priority: 50,
  urgency: 'low',
  assignedTo: 'rex',
  requiredCapability: 'research',
};

describe('toneOf', () => {
  it('colours tasks amber, agents emerald, approvals and escalations purple, failures red', () => {
    expect(toneOf({ id: 1, ts, type: 'task_assigned', payload: taskView })).toBe('amber');
    expect(toneOf({ id: 2, ts, type: 'agent_online', payload: { agentId: 'rex', name: 'Rex', kind: 'desktop' } })).toBe('emerald');
    expect(toneOf({ id: 3, ts, type: 'escalation_updated', payload: { escalationId: 'e1', status: 'open' } })).toBe('purple');
    expect(toneOf({ id: 4, ts, type: 'task_failed', payload: { ...taskView, attemptId: null, error: 'boom' } })).toBe('red');
    expect(toneOf({ id: 5, ts, type: 'agent_offline', payload: { agentId: 'rex', reason: 'heartbeat_timeout' } })).toBe('red');
    expect(toneOf({ id: 6, ts, type: 'user_created', payload: { userId: 'u1', username: 'ann', role: 'viewer' } })).toBe('neutral');
  });

  it('shows an opened breaker as an error and a closed one as agent news', () => {
    const breaker = (state: 'open' | 'closed'): StreamItem => ({ id: 7, ts, type: 'breaker_changed', payload: { agentId: 'rex', state, consecutiveFailures: 3 } });
    expect(toneOf(breaker('open'))).toBe('red');
    expect(toneOf(breaker('closed'))).toBe('emerald');
    expect(inFamily(breaker('open'), 'agent')).toBe(true);
    expect(inFamily(breaker('open'), 'error')).toBe(true);
  });
});

describe('agentsOf', () => {
  it('finds the agents an event names, whatever the field', () => {
    expect(agentsOf({ id: 1, ts, type: 'task_assigned', payload: taskView })).toEqual(['rex']);
    expect(agentsOf({ id: 2, ts, type: 'task_created', payload: { ...taskView, assignedTo: null } })).toEqual([]);
    expect(
      agentsOf({ id: 3, ts, type: 'escalation_created', payload: { escalationId: 'e1', fromAgent: 'rex', toAgent: 'archon', taskId: 't1', reason: 'stuck' } }),
    ).toEqual(['rex', 'archon']);
    expect(
      agentsOf({
        id: 4,
        ts,
        type: 'message_posted',
        payload: { messageId: 'm1', sender: 'rex', senderType: 'agent', channel: 'general', content: 'hi', replyTo: null },
      }),
    ).toEqual(['rex']);
  });
});

describe('summarize', () => {
  it('gives one line per known type and clips long text', () => {
    expect(summarize({ id: 1, ts, type: 'agent_online', payload: { agentId: 'rex', name: 'Rex', kind: 'desktop' } })).toBe('rex online (Rex, desktop)');
    const long = summarize({ id: 2, ts, type: 'task_stream', payload: { taskId: 't1', attemptId: 'a1', agentId: 'rex', content: 'x'.repeat(1000), truncatedBefore: false } });
    expect(long.length).toBeLessThan(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('falls back to the payload for a type it does not know (a newer hub)', () => {
    const unknown = { id: 3, ts, type: 'plugin_loaded', payload: { name: 'notify' } } as unknown as StreamItem;
    expect(summarize(unknown)).toBe('{"name":"notify"}');
    expect(toneOf(unknown)).toBe('neutral');
  });
});
