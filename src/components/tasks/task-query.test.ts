// Units: the Tasks page's URL query is read leniently and written back without defaults.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TASK_QUERY, parseTaskQuery, resolveInstant, taskQueryString } from './task-query';

const parse = (search: string) => parseTaskQuery(new URLSearchParams(search));

describe('task query in the URL', () => {
  it('reads what a dashboard tile links to', () => {
    expect(parse('view=list&status=failed&since=24h&capability=gpu&agent=rex&q=deploy')).toEqual({
      ...DEFAULT_TASK_QUERY,
      view: 'list',
      status: ['failed'],
      since: '24h',
      capability: 'gpu',
      agent: 'rex',
      q: 'deploy',
    });
  });

  it('drops what it does not understand instead of failing', () => {
    expect(parse('view=grid&status=failed,bogus,FAILED&since=yesterday&sort=prompt&page=-3')).toEqual({ ...DEFAULT_TASK_QUERY, status: ['failed'] });
  });

  it('writes only what differs from the defaults, and round-trips', () => {
    expect(taskQueryString(DEFAULT_TASK_QUERY)).toBe('');
    const query = { ...DEFAULT_TASK_QUERY, view: 'list' as const, status: ['failed' as const, 'cancelled' as const], sort: 'priority' as const, order: 'asc' as const, page: 3 };
    const search = taskQueryString(query);
    expect(search).toBe('?view=list&status=failed%2Ccancelled&sort=priority&order=asc&page=3');
    expect(parse(search.slice(1))).toEqual(query);
  });

  it('turns a relative window into an instant before now, and keeps ISO instants', () => {
    const now = Date.parse('2026-01-02T12:00:00Z');
    expect(resolveInstant('24h', now)).toBe('2026-01-01T12:00:00.000Z');
    expect(resolveInstant('30m', now)).toBe('2026-01-02T11:30:00.000Z');
    expect(resolveInstant('7d', now)).toBe('2025-12-26T12:00:00.000Z');
    expect(resolveInstant('2026-01-01T00:00:00Z', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(resolveInstant('12', now)).toBeUndefined();
  });
});
