// The Tasks page: the kanban or the list view (a toggle), the filters, the "New task" sheet for
// principals with tasks:write. Approvals and escalations live in the dashboard's inbox. View and
// filters live in the URL (/tasks?view=list&status=failed&since=24h) so other pages can link to a
// filtered view. Everything refreshes from the shell's live events; nothing polls.
'use client';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { NewTaskSheet } from './new-task-sheet';
import { TemplateChips } from '../templates/template-chips';
import { TaskBoard } from './task-board';
import { TaskFilters } from './task-filters';
import { TaskList } from './task-list';
import { isFiltered, listFilters, parseTaskQuery, taskQueryString, type TaskQuery } from './task-query';
import { useNow } from './use-now';
import { ViewToggle } from './view-toggle';
import styles from './tasks-screen.module.css';

/** The page's state from its URL, and a setter that writes it back (replace: filters are not history steps). */
function useTaskQuery(): [TaskQuery, (next: Partial<TaskQuery>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const query = useMemo(() => parseTaskQuery(new URLSearchParams(search)), [search]);
  const update = useCallback(
    (next: Partial<TaskQuery>) => {
      const merged = { ...parseTaskQuery(new URLSearchParams(window.location.search)), ...next };
      router.replace(`${pathname}${taskQueryString(merged)}`, { scroll: false });
    },
    [router, pathname],
  );
  return [query, update];
}

export function TasksScreen() {
  const trpc = useTRPC();
  const me = useMe();
  const canWrite = can(me, 'tasks:write');
  const [query, setQuery] = useTaskQuery();
  const [sheetOpen, setSheetOpen] = useState(false);
  const now = useNow();
  const filters = useMemo(() => listFilters(query, now), [query, now]);
  const agents = useQuery({ ...trpc.agents.list.queryOptions(), enabled: can(me, 'agents:read') });
  const agentList = agents.data ?? [];

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>Tasks</h1>
          <p className={`muted ${styles.subtitle}`}>{isFiltered(query) ? 'filtered' : query.view === 'list' ? 'every task, paged' : 'open work and the latest results'}</p>
        </div>
        <div className={styles.headerActions}>
          <ViewToggle view={query.view} onChange={(view) => setQuery({ view, page: 1 })} />
          {canWrite ? (
            <button type="button" onClick={() => setSheetOpen(true)}>
              New task
            </button>
          ) : null}
        </div>
      </header>
      <TemplateChips />
      <TaskFilters agents={agentList} value={query} onChange={setQuery} />
      {query.view === 'list' ? <TaskList query={query} filters={filters} onChange={setQuery} /> : <TaskBoard query={query} filters={filters} now={now} />}
      {canWrite ? <NewTaskSheet open={sheetOpen} agents={agentList} onClose={() => setSheetOpen(false)} /> : null}
    </div>
  );
}
