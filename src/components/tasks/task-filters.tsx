// The board's filters: status, agent, capability and free text (sent to tasks.list). The text
// waits for a pause in typing so each keystroke does not become a request.
'use client';
import { useEffect, useState } from 'react';
import { TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import type { Agent } from './types';
import styles from './tasks-screen.module.css';

export interface TaskFilterValues {
  status?: TaskStatus;
  agentId?: string;
  capability?: string;
  text?: string;
}

const TYPING_PAUSE_MS = 300;

export function TaskFilters({
  agents,
  value,
  onChange,
}: {
  agents: readonly Agent[];
  value: TaskFilterValues;
  onChange: (next: TaskFilterValues) => void;
}) {
  const [text, setText] = useState(value.text ?? '');
  const capabilities = [...new Set(agents.flatMap((agent) => agent.capabilities))].sort();

  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === (value.text ?? '')) return;
    const timer = setTimeout(() => onChange({ ...value, text: trimmed || undefined }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);

  return (
    <form className={styles.filters} role="search" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
      <label className={styles.field}>
        <span>Status</span>
        <select value={value.status ?? ''} onChange={(event) => onChange({ ...value, status: (event.target.value || undefined) as TaskStatus | undefined })}>
          <option value="">All statuses</option>
          {TASK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <span>Agent</span>
        <select value={value.agentId ?? ''} onChange={(event) => onChange({ ...value, agentId: event.target.value || undefined })}>
          <option value="">All agents</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name === agent.id ? agent.id : `${agent.name} (${agent.id})`}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <span>Capability</span>
        <select value={value.capability ?? ''} onChange={(event) => onChange({ ...value, capability: event.target.value || undefined })}>
          <option value="">Any capability</option>
          {capabilities.map((capability) => (
            <option key={capability} value={capability}>
              {capability}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <span>Search</span>
        <input type="search" value={text} placeholder="title or prompt" maxLength={200} onChange={(event) => setText(event.target.value)} />
      </label>
    </form>
  );
}
