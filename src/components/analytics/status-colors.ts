// One colour per task status for every analytics chart, from the theme's custom properties.
import type { TaskStatus } from '@/lib/tasks';

export const STATUS_COLORS: Record<TaskStatus, string> = {
  queued: 'var(--text-muted)',
  assigned: 'var(--purple)',
  running: 'var(--amber)',
  done: 'var(--emerald)',
  failed: 'var(--red)',
  cancelled: 'color-mix(in srgb, var(--text-muted) 45%, var(--surface))',
  suspended: 'color-mix(in srgb, var(--purple) 45%, var(--surface))',
};

/** Stacking order: finished work first, then work in flight, then waiting. */
export const STATUS_ORDER: TaskStatus[] = ['done', 'failed', 'cancelled', 'suspended', 'running', 'assigned', 'queued'];
