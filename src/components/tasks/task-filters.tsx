// The Tasks page's filters: status, agent, capability, time range and free text, kept in the URL
// (task-query.ts). The text waits for a pause in typing so each keystroke does not become a request.
'use client';
import { useEffect, useState } from 'react';
import { TASK_STATUSES, type TaskStatus } from '@/lib/tasks';
import { SINCE_CHOICES, type TaskQuery } from './task-query';
import type { Agent } from './types';
import styles from './tasks-screen.module.css';

const TYPING_PAUSE_MS = 300;

export function TaskFilters({
  agents,
  value,
  onChange,
}: {
  agents: readonly Agent[];
  value: TaskQuery;
  onChange: (next: Partial<TaskQuery>) => void;
}) {
  const [text, setText] = useState(value.q ?? '');
  const capabilities = [...new Set([...agents.flatMap((agent) => agent.capabilities), ...(value.capability ? [value.capability] : [])])].sort();
  // A link may name several statuses (status=failed,cancelled): offered as one choice.
  const statusValue = value.status.join(',');
  const sinceChoices = value.since && !SINCE_CHOICES.some((choice) => choice.value === value.since) ? [...SINCE_CHOICES, { value: value.since, label: `Since ${value.since}` }] : SINCE_CHOICES;

  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === (value.q ?? '')) return;
    const timer = setTimeout(() => onChange({ q: trimmed || undefined, page: 1 }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, value.q, onChange]);

  return (
    <form className={styles.filters} role="search" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
      <label className={styles.field}>
        <span>Status</span>
        <select
          value={statusValue}
          onChange={(event) => onChange({ status: event.target.value ? (event.target.value.split(',') as TaskStatus[]) : [], page: 1 })}
        >
          <option value="">All statuses</option>
          {TASK_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
          {value.status.length > 1 ? <option value={statusValue}>{value.status.join(' or ')}</option> : null}
        </select>
      </label>
      <label className={styles.field}>
        <span>Agent</span>
        <select value={value.agent ?? ''} onChange={(event) => onChange({ agent: event.target.value || undefined, page: 1 })}>
          <option value="">All agents</option>
          {value.agent && !agents.some((agent) => agent.id === value.agent) ? <option value={value.agent}>{value.agent}</option> : null}
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name === agent.id ? agent.id : `${agent.name} (${agent.id})`}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <span>Capability</span>
        <select value={value.capability ?? ''} onChange={(event) => onChange({ capability: event.target.value || undefined, page: 1 })}>
          <option value="">Any capability</option>
          {capabilities.map((capability) => (
            <option key={capability} value={capability}>
              {capability}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <span>Changed</span>
        <select value={value.since ?? ''} onChange={(event) => onChange({ since: event.target.value || undefined, until: undefined, page: 1 })}>
          <option value="">Any time</option>
          {sinceChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <label className={`${styles.field} ${styles.search}`}>
        <span>Search</span>
        <input type="search" value={text} placeholder="title or prompt" maxLength={200} onChange={(event) => setText(event.target.value)} />
      </label>
    </form>
  );
}
