// The Tasks page's state in its URL query (/tasks?view=list&status=failed&since=24h), so any page
// (the dashboard's tiles, an alert, a colleague) can link to a filtered view. Pure, unit-tested:
// parse what a link says, leniently (an unknown value is dropped, never an error page), and write
// back only what differs from the defaults.
import { TASK_SORT_FIELDS, TASK_STATUSES, type TaskSortField, type TaskStatus } from '@/lib/tasks';

export type TaskView = 'board' | 'list';
export type SortOrder = 'asc' | 'desc';

export interface TaskQuery {
  view: TaskView;
  /** Any of these statuses (URL: status=failed or status=failed,cancelled). */
  status: TaskStatus[];
  /** A relative window ("1h", "24h", "7d", "30m") or an ISO instant; over the tasks' last change. */
  since?: string;
  until?: string;
  capability?: string;
  /** An agent id: the tasks assigned to it. */
  agent?: string;
  /** Text in the title or prompt. */
  q?: string;
  /** The list view's order and page (1-based); the board keeps its own orders. */
  sort: TaskSortField;
  order: SortOrder;
  page: number;
}

export const DEFAULT_TASK_QUERY: TaskQuery = { view: 'board', status: [], sort: 'createdAt', order: 'desc', page: 1 };

/** The time ranges the filter offers; any other `since` from a link still works. */
export const SINCE_CHOICES: readonly { value: string; label: string }[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

const RELATIVE = /^(\d{1,5})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_TEXT = 200;

/** "24h" → the instant 24 hours before `now`; an ISO instant as it is; anything else undefined. */
export function resolveInstant(value: string | undefined, now: number): string | undefined {
  if (!value) return undefined;
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString();
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(value) ? undefined : new Date(parsed).toISOString();
}

function text(params: URLSearchParams, key: string): string | undefined {
  const value = params.get(key)?.trim();
  return value ? value.slice(0, MAX_TEXT) : undefined;
}

export function parseTaskQuery(params: URLSearchParams): TaskQuery {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .map((status) => status.trim().toLowerCase())
    .filter((status): status is TaskStatus => (TASK_STATUSES as readonly string[]).includes(status));
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  const since = text(params, 'since');
  const until = text(params, 'until');
  return {
    view: params.get('view') === 'list' ? 'list' : 'board',
    status: [...new Set(statuses)],
    since: resolveInstant(since, 0) ? since : undefined,
    until: resolveInstant(until, 0) ? until : undefined,
    capability: text(params, 'capability'),
    agent: text(params, 'agent'),
    q: text(params, 'q'),
    sort: (TASK_SORT_FIELDS as readonly string[]).includes(sort ?? '') ? (sort as TaskSortField) : DEFAULT_TASK_QUERY.sort,
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page > 1 ? Math.min(page, 10_000) : 1,
  };
}

/** The query string for a state ('' for the defaults), keys in a fixed order so links compare equal. */
export function taskQueryString(query: TaskQuery): string {
  const params = new URLSearchParams();
  if (query.view !== 'board') params.set('view', query.view);
  if (query.status.length > 0) params.set('status', query.status.join(','));
  if (query.since) params.set('since', query.since);
  if (query.until) params.set('until', query.until);
  if (query.capability) params.set('capability', query.capability);
  if (query.agent) params.set('agent', query.agent);
  if (query.q) params.set('q', query.q);
  if (query.sort !== DEFAULT_TASK_QUERY.sort) params.set('sort', query.sort);
  if (query.order !== DEFAULT_TASK_QUERY.order) params.set('order', query.order);
  if (query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The tasks.list filters the state names (status and paging are added by each view). */
export function listFilters(query: TaskQuery, now: number) {
  return {
    agentId: query.agent,
    capability: query.capability,
    text: query.q,
    since: resolveInstant(query.since, now),
    until: resolveInstant(query.until, now),
  };
}

/** True when any filter narrows the tasks (the count then says "matching"). */
export function isFiltered(query: TaskQuery): boolean {
  return query.status.length > 0 || Boolean(query.since || query.until || query.capability || query.agent || query.q);
}
