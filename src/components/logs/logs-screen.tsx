// The logs page: the event log's recent history (read backwards from the hub on open, more on
// "Load older") joined with the live stream, newest first, each event once. Coloured by family,
// filtered by type, agent and a text search, with a Pause that freezes the list while events
// keep arriving underneath.
'use client';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { EventType, StreamItem } from '@/lib/events';
import { can, useMe } from '../shell/app-shell';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC, useTRPCClient } from '../trpc';
import { agentsOf, inFamily, TYPE_FAMILIES, type TypeFamily } from './event-format';
import { matchesText, mergeEvents, typesOfFamily } from './event-history';
import { LogRow } from './log-row';
import styles from './logs-screen.module.css';

/** '' (all), `family:<id>` or `type:<event type>`. */
type TypeFilter = '' | `family:${TypeFamily}` | `type:${string}`;

const HISTORY_PAGE = 100;

function matchesType(event: StreamItem, filter: TypeFilter): boolean {
  if (filter === '') return true;
  if (filter.startsWith('family:')) return inFamily(event, filter.slice('family:'.length) as TypeFamily);
  return event.type === filter.slice('type:'.length);
}

/** The types to ask the hub for, so older pages hold matches (the client filter still applies). */
function historyTypes(filter: TypeFilter): EventType[] | undefined {
  if (filter === '') return undefined;
  if (filter.startsWith('family:')) return typesOfFamily(filter.slice('family:'.length) as TypeFamily);
  return [filter.slice('type:'.length) as EventType];
}

export function LogsScreen() {
  const trpc = useTRPC();
  const live = useLiveEvents();
  const [typeFilter, setTypeFilter] = useState<TypeFilter>('');
  const [agentFilter, setAgentFilter] = useState('');
  const [search, setSearch] = useState('');
  const text = useDeferredValue(search.trim());
  // While paused the list shows this snapshot; the shell keeps collecting events meanwhile.
  const [frozen, setFrozen] = useState<StreamItem[] | null>(null);

  const client = useTRPCClient();
  const filter = { limit: HISTORY_PAGE, types: historyTypes(typeFilter), text: text || undefined };
  const history = useInfiniteQuery({
    // Under the procedure's own key, so invalidating events.* (e.g. after a reconnect) refetches it.
    queryKey: [...trpc.events.history.queryKey(filter), 'pages'],
    queryFn: ({ pageParam }) => client.events.history.query({ ...filter, beforeId: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBeforeId ?? undefined,
    // New live events arrive through the stream; history is what came before the page opened.
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
  // History is read once the page opens, the live stream from when it (re)connected: each time the
  // stream becomes live, read history again so the events between the two are not lost.
  const wasLive = useRef(live.status === 'live');
  const refetchHistory = history.refetch;
  useEffect(() => {
    const isLive = live.status === 'live';
    if (isLive && !wasLive.current) void refetchHistory();
    wasLive.current = isLive;
  }, [live.status, refetchHistory]);
  const pages = useMemo(() => history.data?.pages.map((page) => page.events) ?? [], [history.data]);
  const all = useMemo(() => mergeEvents(live.events, pages), [live.events, pages]);

  const source = frozen ?? all;
  const shown = useMemo(
    () => source.filter((event) => matchesType(event, typeFilter) && (agentFilter === '' || agentsOf(event).includes(agentFilter)) && matchesText(event, text)),
    [source, typeFilter, agentFilter, text],
  );
  const arrivedWhilePaused = frozen ? countNewer(all, frozen) : 0;

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
        <SearchField value={search} onChange={setSearch} />
        <TypeSelect events={all} value={typeFilter} onChange={setTypeFilter} />
        <AgentSelect events={all} value={agentFilter} onChange={setAgentFilter} />
        <button type="button" className={`secondary ${styles.pause}`} aria-pressed={frozen !== null} onClick={() => setFrozen(frozen ? null : all)}>
          {frozen ? `Resume${arrivedWhilePaused ? ` (${arrivedWhilePaused} new)` : ''}` : 'Pause'}
        </button>
      </div>
      {history.error ? <p className="error">History could not be loaded: {history.error.message}</p> : null}
      {source.length === 0 && history.isPending ? <p className={`card ${styles.empty}`}>Loading the event log…</p> : null}
      {source.length === 0 && !history.isPending ? (
        <p className={`card ${styles.empty}`}>No events yet. This log shows what the hub has recorded, and live what it publishes, for everything your account may see.</p>
      ) : shown.length === 0 && source.length > 0 ? (
        <p className={`card ${styles.empty}`}>No events match these filters{history.hasNextPage ? ' among those loaded' : ''}.</p>
      ) : null}
      <ol className={styles.list} aria-label="Event log">
        {shown.map((event) => (
          <LogRow key={event.id} event={event} />
        ))}
      </ol>
      {history.hasNextPage ? (
        <button type="button" className={`secondary ${styles.older}`} disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {history.isFetchingNextPage ? 'Loading…' : 'Load older events'}
        </button>
      ) : history.data ? (
        <p className={`muted ${styles.end}`}>No older events in the log.</p>
      ) : null}
    </div>
  );
}

/** Events that arrived since the snapshot was taken (both lists are newest first). */
function countNewer(current: StreamItem[], snapshot: StreamItem[]): number {
  const newest = snapshot[0]?.id ?? 0;
  return current.filter((event) => event.id > newest).length;
}

function SearchField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>Search</label>
      <input id={id} type="search" value={value} maxLength={200} placeholder="text or type" onChange={(event) => onChange(event.target.value)} />
    </div>
  );
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
