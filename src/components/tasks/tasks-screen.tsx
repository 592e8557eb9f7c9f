// The Tasks page: the kanban of the newest 200 tasks (filtered by status, agent, capability and
// text), the "New task" sheet for principals with tasks:write, and the approvals and escalations
// panels. Everything refreshes from the shell's live events; nothing polls.
'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { ApprovalsPanel } from './approvals-panel';
import { EscalationsPanel } from './escalations-panel';
import { NewTaskSheet } from './new-task-sheet';
import { TemplateChips } from '../templates/template-chips';
import { TaskBoard } from './task-board';
import { TaskFilters, type TaskFilterValues } from './task-filters';
import styles from './tasks-screen.module.css';

const BOARD_LIMIT = 200;

export function TasksScreen() {
  const trpc = useTRPC();
  const me = useMe();
  const canWrite = can(me, 'tasks:write');
  const [filters, setFilters] = useState<TaskFilterValues>({});
  const [sheetOpen, setSheetOpen] = useState(false);
  const tasks = useQuery({ ...trpc.tasks.list.queryOptions({ ...filters, limit: BOARD_LIMIT }), placeholderData: keepPreviousData });
  const agents = useQuery({ ...trpc.agents.list.queryOptions(), enabled: can(me, 'agents:read') });
  const agentList = agents.data ?? [];
  const filtered = Object.values(filters).some((value) => value !== undefined);

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>Tasks</h1>
          <p className={`muted ${styles.subtitle}`}>
            {tasks.data ? describeCount(tasks.data.tasks.length, tasks.data.nextCursor !== null, filtered) : 'loading…'}
          </p>
        </div>
        {canWrite ? (
          <button type="button" onClick={() => setSheetOpen(true)}>
            New task
          </button>
        ) : null}
      </header>
      <TemplateChips />
      <TaskFilters agents={agentList} value={filters} onChange={setFilters} />
      {tasks.error ? <p className="error">{tasks.error.message}</p> : null}
      <TaskBoard tasks={tasks.data?.tasks ?? []} statusFilter={filters.status} />
      <div className={styles.panels}>
        <ApprovalsPanel canDecide={canWrite} />
        <EscalationsPanel canUpdate={canWrite} />
      </div>
      {canWrite ? <NewTaskSheet open={sheetOpen} agents={agentList} onClose={() => setSheetOpen(false)} /> : null}
    </div>
  );
}

/** "12 tasks", "3 matching", "newest 200 tasks" when the hub holds more. */
function describeCount(count: number, more: boolean, filtered: boolean): string {
  const noun = filtered ? 'matching' : count === 1 ? 'task' : 'tasks';
  return more ? `newest ${count} ${noun}` : `${count} ${noun}`;
}
