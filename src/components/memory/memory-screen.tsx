// The memory panel of one agent: its entries (newest first) or the matches of a search, each
// deletable, and the consolidation log with what each change replaced. The agent comes from
// ?agent=<id>; a picker switches between agents. Memory events refresh it (live-events.tsx).
'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useId, useState } from 'react';
import type { ConsolidationView, MemoryEntryView } from '@/lib/memory';
import { can, useMe } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import styles from './memory.module.css';

export function MemoryScreen({ agentId }: { agentId?: string }) {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const agents = useQuery(trpc.agents.list.queryOptions(undefined, { enabled: can(me, 'agents:read') }));
  const pickerId = useId();
  const selected = agentId ?? agents.data?.[0]?.id;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Memory</h1>
        <div className={styles.picker}>
          <label htmlFor={pickerId}>Agent</label>
          <select id={pickerId} value={selected ?? ''} onChange={(event) => router.push(`/memory?agent=${encodeURIComponent(event.target.value)}`)}>
            {selected && !agents.data?.some((agent) => agent.id === selected) ? <option value={selected}>{selected}</option> : null}
            {agents.data?.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name === agent.id ? agent.id : `${agent.name} (${agent.id})`}
              </option>
            ))}
          </select>
        </div>
      </header>
      {selected ? <AgentMemory key={selected} agentId={selected} canWrite={can(me, 'memory:write')} /> : <p className="card muted">No agents yet.</p>}
    </div>
  );
}

function AgentMemory({ agentId, canWrite }: { agentId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim());
  const searchId = useId();
  const list = useQuery(trpc.memory.list.queryOptions({ agentId, limit: 500 }, { enabled: deferred === '' }));
  const search = useQuery(trpc.memory.search.queryOptions({ agentId, query: deferred, limit: 50 }, { enabled: deferred !== '' }));
  const shown = deferred === '' ? list : search;

  return (
    <div className={styles.layout}>
      <section className={`card ${styles.section}`} aria-labelledby="entries-title">
        <div className={styles.sectionHeader}>
          <h2 id="entries-title" className={styles.sectionTitle}>
            Entries
          </h2>
          <span className={styles.count} aria-live="polite">
            {shown.data ? `${shown.data.length} ${deferred === '' ? 'stored' : 'found'}` : ''}
          </span>
        </div>
        <div className={styles.search}>
          <label htmlFor={searchId} className="muted">
            Search (whole words)
          </label>
          <input id={searchId} type="search" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="e.g. storekit pricing" autoComplete="off" />
        </div>
        {shown.error ? <p className="error">{shown.error.message}</p> : null}
        {shown.data && shown.data.length === 0 ? <p className="muted">{deferred === '' ? 'This agent remembers nothing yet.' : 'No entry holds these words.'}</p> : null}
        <ul className={styles.entries} aria-label="Memory entries">
          {shown.data?.map((entry) => (
            <EntryRow key={entry.key} entry={entry} canWrite={canWrite} />
          ))}
        </ul>
      </section>
      <ConsolidationLog agentId={agentId} canWrite={canWrite} />
    </div>
  );
}

function EntryRow({ entry, canWrite }: { entry: MemoryEntryView; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.memory.delete.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.memory.pathFilter()),
    }),
  );
  return (
    <li className={styles.entry} data-key={entry.key}>
      <div className={styles.entryText}>
        <p className={styles.key}>{entry.key}</p>
        <p className={styles.value}>{entry.value}</p>
        <p className={styles.meta}>
          {entry.source}
          {entry.confidence !== null ? ` · confidence ${Math.round(entry.confidence * 100)}%` : ''} · updated {new Date(entry.updatedAt).toLocaleString()}
        </p>
        {remove.error ? <p className="error">{remove.error.message}</p> : null}
      </div>
      {canWrite ? (
        <button
          type="button"
          className={`secondary ${styles.delete}`}
          aria-label={`Delete ${entry.key}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate({ agentId: entry.agentId, key: entry.key })}
        >
          Delete
        </button>
      ) : null}
    </li>
  );
}

const ACTION_LABELS: Record<ConsolidationView['action'], string> = {
  merged_duplicate: 'merged duplicates',
  resolved_contradiction: 'resolved a contradiction',
  corroborated: 'shared fact',
  model_merge: 'model merge',
};

function ConsolidationLog({ agentId, canWrite }: { agentId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const log = useQuery(trpc.memory.consolidations.queryOptions({ agentId, limit: 50 }));
  const run = useMutation(
    trpc.memory.consolidate.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.memory.pathFilter()),
    }),
  );
  return (
    <section className={`card ${styles.section}`} aria-labelledby="consolidation-title">
      <div className={styles.sectionHeader}>
        <h2 id="consolidation-title" className={styles.sectionTitle}>
          Consolidation
        </h2>
        {canWrite ? (
          <button type="button" className="secondary" disabled={run.isPending} onClick={() => run.mutate()}>
            {run.isPending ? 'Consolidating…' : 'Consolidate now'}
          </button>
        ) : null}
      </div>
      <p className="muted">Runs daily: merges duplicates, resolves contradictions, marks facts other agents also hold.</p>
      {run.data ? (
        <p className="ok" role="status">
          {run.data.changes.length === 0 ? 'Nothing to change.' : `${run.data.changes.length} change(s) across the mesh.`}
        </p>
      ) : null}
      {run.error ? <p className="error">{run.error.message}</p> : null}
      {log.data && log.data.length === 0 ? <p className="muted">No changes to this agent’s memory yet.</p> : null}
      <ol className={styles.changes} aria-label="Consolidation changes">
        {log.data?.map((change) => (
          <li key={change.id} className={styles.change}>
            <p className={styles.meta}>
              <span className={styles.action}>{ACTION_LABELS[change.action]}</span> · {new Date(change.createdAt).toLocaleString()}
            </p>
            <p className={styles.value}>{change.summary}</p>
            <details>
              <summary className={styles.meta}>What it replaced ({change.replaced.length})</summary>
              <ul className={styles.replaced}>
                {change.replaced.map((entry) => (
                  <li key={entry.key}>
                    <span className={styles.key}>{entry.key}</span>: {entry.value}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
