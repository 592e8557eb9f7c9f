// Links into the Tasks page's list view with filters in the URL (the Tasks page reads
// ?view=list&status=…&since=…&capability=…&agent=…&q=…).

export interface TasksViewFilter {
  status?: string;
  since?: string;
  capability?: string;
  agent?: string;
  q?: string;
}

export function tasksViewHref(filter: TasksViewFilter): string {
  const params = new URLSearchParams({ view: 'list' });
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return `/tasks?${params.toString()}`;
}
