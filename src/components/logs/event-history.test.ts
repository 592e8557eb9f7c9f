// Joining history with live events, the family → types mapping, the text search and task references.
import { describe, expect, it } from 'vitest';
import type { StreamItem } from '@/lib/events';
import { matchesText, mergeEvents, taskOf, typesOfFamily } from './event-history';

const ts = '2026-01-01T12:00:00.000Z';
const online = (id: number, agentId: string): StreamItem => ({ id, ts, type: 'agent_online', payload: { agentId, name: agentId, kind: 'desktop' } });
const created = (id: number, title: string): StreamItem => ({
  id,
  ts,
  type: 'task_created',
  payload: { taskId: `t${id}`, title, status: 'queued', priority: 50, urgency: 'low', assignedTo: null, requiredCapability: null },
});

describe('mergeEvents', () => {
  it('keeps each event once, newest first, whether it came live, in history or both', () => {
    const merged = mergeEvents([online(9, 'rex'), online(7, 'max')], [[online(7, 'max'), online(5, 'rex')], [online(3, 'ada')]]);
    expect(merged.map((event) => event.id)).toEqual([9, 7, 5, 3]);
  });
});

describe('typesOfFamily', () => {
  it('maps a family to its event types', () => {
    expect(typesOfFamily('task')).toContain('task_created');
    expect(typesOfFamily('task')).not.toContain('agent_online');
    expect(typesOfFamily('agent')).toEqual(expect.arrayContaining(['agent_online', 'breaker_changed']));
    expect(typesOfFamily('error')).toEqual(expect.arrayContaining(['task_failed', 'agent_offline']));
  });
});

describe('matchesText', () => {
  it('matches the type, the summary and the payload, ignoring case', () => {
    expect(matchesText(created(1, 'Render the Frames'), 'render the')).toBe(true);
    expect(matchesText(created(1, 'Render'), 'TASK_CREATED')).toBe(true);
    expect(matchesText(created(1, 'Render'), 'compile')).toBe(false);
    expect(matchesText(created(1, 'Render'), '   ')).toBe(true);
  });
});

describe('taskOf', () => {
  it('names the task an event is about', () => {
    expect(taskOf(created(4, 'Render'))).toEqual({ id: 't4', title: 'Render' });
    expect(taskOf(online(2, 'rex'))).toBeNull();
  });
});
