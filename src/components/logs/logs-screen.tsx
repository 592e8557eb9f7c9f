// The logs page: the app's live event stream, newest first, coloured by event family, filtered by
// type and agent, with a Pause that freezes the list while events keep arriving underneath.
'use client';
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { StreamItem } from '@/lib/events';
import { can, useMe } from '../shell/app-shell';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC } from '../trpc';
import { agentsOf, inFamily, TYPE_FAMILIES, type TypeFamily } from './event-format';
import { LogRow } from './log-row';
import styles from './logs-screen.module.css';

/** '' (all), `family:<id>` or `type:<event type>`. */
type TypeFilter = '' | `family:${TypeFamily}` | `type:${string}`;

function matchesType(event: StreamItem, filter: TypeFilter): boolean {
  if (filter === '') return true;
  if (filter.startsWith('family:')) return inFamily(event, filter.slice('family:'.length) as TypeFamily);
  return event.type === filter.slice('type:'.length);
}

export function LogsScreen() {
  const live = useLiveEvents();
  const [typeFilter, setTypeFilter] = useState<TypeFilter>('');
  const [agentFilter, setAgentFilter] = useState('');
  // While paused the list shows this snapshot; the shell keeps collecting events meanwhile.
  const [frozen, setFrozen] = useState<StreamItem[] | null>(null);

  const source = frozen ?? live.events;
  const shown = useMemo(
    () => source.filter((event) => matchesType(event, typeFilter) && (agentFilter === '' || agentsOf(event).includes(agentFilter))),
    [source, typeFilter, agentFilter],
  );
  const arrivedWhilePaused = frozen ? countNewer(live.events, frozen) : 0;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Logs</h1>
        <p className={styles.status} aria-live="polite">
          {frozen ? <span className={styles.paused}>paused</span> : <span data-status={live.status}>{live.status}</span>} · {shown.length} of{' '}
          {source.length} events
        </p>
      </header>
      <div className={styles.controls}>
        <TypeSelect events={live.events} value={typeFilter} onChange={setTypeFilter} />
        <AgentSelect events={live.events} value={agentFilter} onChange={setAgentFilter} />
        <button
          type="button"
          className={`secondary ${styles.pause}`}
          aria-pressed={frozen !== null}
          onClick={() => setFrozen(frozen ? null : live.events)}
        >
          {frozen ? `Resume${arrivedWhilePaused ? ` (${arrivedWhilePaused} new)` : ''}` : 'Pause'}
        </button>
      </div>
      {source.length === 0 ? (
        <p className={`card ${styles.empty}`}>
          Waiting for events. This log shows what the hub publishes while the app is open (the newest 500), for everything your account may
          see.
        </p>
      ) : shown.length === 0 ? (
        <p className={`card ${styles.empty}`}>No events match these filters.</p>
      ) : null}
      <ol className={styles.list} aria-label="Event log">
        {shown.map((event) => (
          <LogRow key={event.id} event={event} />
        ))}
      </ol>
    </div>
  );
}

/** Events that arrived since the snapshot was taken (the shell's list is newest first and capped). */
function countNewer(current: StreamItem[], snapshot: StreamItem[]): number | string {
  if (snapshot.length === 0) return current.length;
  const index = current.indexOf(snapshot[0]!);
  return index === -1 ? `${current.length}+` : index;
}

function TypeSelect({ events, value, onChange }: { events: StreamItem[]; value: TypeFilter; onChange: (value: TypeFilter) => void }) {
  const seen = useMemo(() => {
    const types = new Set(events.map((event) => event.type as string));
    if (value.startsWith('type:')) types.add(value.slice('type:'.length));
    return [...types].sort();
  }, [events, value]);
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>Type</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as TypeFilter)}>
        <option value="">All types</option>
        <optgroup label="Families">
          {TYPE_FAMILIES.map((family) => (
            <option key={family.id} value={`family:${family.id}`}>
              {family.label}
            </option>
          ))}
        </optgroup>
        {seen.length > 0 ? (
          <optgroup label="Seen so far">
            {seen.map((type) => (
              <option key={type} value={`type:${type}`}>
                {type}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </div>
  );
}

function AgentSelect({ events, value, onChange }: { events: StreamItem[]; value: string; onChange: (value: string) => void }) {
  const me = useMe();
  const trpc = useTRPC();
  // The registry lists agents that have been quiet since the app opened, too.
  const registered = useQuery(trpc.agents.list.queryOptions(undefined, { enabled: can(me, 'agents:read') }));
  const agentIds = useMemo(() => {
    const ids = new Set(events.flatMap(agentsOf));
    for (const agent of registered.data ?? []) ids.add(agent.id);
    if (value) ids.add(value);
    return [...ids].sort();
  }, [events, registered.data, value]);
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>Agent</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All agents</option>
        {agentIds.map((agentId) => (
          <option key={agentId} value={agentId}>
            {agentId}
          </option>
        ))}
      </select>
    </div>
  );
}
