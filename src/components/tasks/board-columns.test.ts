// Units: tasks land in the right kanban column, in dispatch order or latest-first.
import { describe, expect, it } from 'vitest';
import { BOARD_COLUMNS, groupIntoColumns } from './board-columns';

const task = (id: string, status: string, priority = 50, createdAt = '2025-01-01T00:00:00.000Z', updatedAt = createdAt) => ({
  id,
  status,
  priority,
  createdAt,
  updatedAt,
});

describe('groupIntoColumns', () => {
  it('puts every status in one column, failed and cancelled together', () => {
    const grouped = groupIntoColumns([task('a', 'queued'), task('b', 'failed'), task('c', 'cancelled'), task('d', 'suspended')]);
    expect(grouped.map((entry) => entry.column.id)).toEqual(BOARD_COLUMNS.map((column) => column.id));
    expect(grouped.find((entry) => entry.column.id === 'failed')!.tasks.map((t) => t.id).sort()).toEqual(['b', 'c']);
    expect(grouped.find((entry) => entry.column.id === 'suspended')!.tasks.map((t) => t.id)).toEqual(['d']);
  });

  it('orders open work by priority then age, ended work latest first', () => {
    const grouped = groupIntoColumns([
      task('old-low', 'queued', 10, '2025-01-01T00:00:00.000Z'),
      task('new-high', 'queued', 90, '2025-01-02T00:00:00.000Z'),
      task('old-high', 'queued', 90, '2025-01-01T00:00:00.000Z'),
      task('done-early', 'done', 50, '2025-01-01T00:00:00.000Z', '2025-01-01T01:00:00.000Z'),
      task('done-late', 'done', 50, '2025-01-01T00:00:00.000Z', '2025-01-03T00:00:00.000Z'),
    ]);
    expect(grouped[0]!.tasks.map((t) => t.id)).toEqual(['old-high', 'new-high', 'old-low']);
    expect(grouped[3]!.tasks.map((t) => t.id)).toEqual(['done-late', 'done-early']);
  });

  it('shows only the column holding a filtered status', () => {
    const grouped = groupIntoColumns([task('a', 'cancelled'), task('b', 'queued')], 'cancelled');
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.column.id).toBe('failed');
    expect(grouped[0]!.tasks.map((t) => t.id)).toEqual(['a']);
  });
});
