// One live event subscription for the whole signed-in app: it keeps the recent events (the
// logs page shows them) and refreshes the React Query data each event makes stale, so pages
// update from events, not polling. It tells the truth about the connection: the stream counts
// as offline when the browser is offline or nothing (no event, no keepalive) arrived for
// STREAM_STALE_AFTER_MS. Coming back, it resumes from the last event id it saw and refetches
// every query, since anything may have changed while it was away.
'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { StreamItem } from '@/lib/events';
import { useStreamHealth } from '../live/stream-health-context';
import { useTRPC } from '../trpc';

const KEEP_EVENTS = 500;
/** How often the watchdog looks at the stream's last sign of life. */
const WATCHDOG_TICK_MS = 250;

export type LiveStatus = 'live' | 'connecting' | 'offline' | 'off';

export interface LiveEventsValue {
  events: StreamItem[];
  status: LiveStatus;
  /** Epoch ms when the stream last heard from the hub (null: never); what the app shows is that old when offline. */
  lastUpdateAt: number | null;
  /** Called for every event as it arrives (pages that react to one event, e.g. a task's stream). */
  listen(listener: (event: StreamItem) => void): () => void;
}

const LiveEventsContext = createContext<LiveEventsValue>({ events: [], status: 'off', lastUpdateAt: null, listen: () => () => undefined });

export function useLiveEvents(): LiveEventsValue {
  return useContext(LiveEventsContext);
}

export function LiveEventsProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const health = useStreamHealth();
  const [events, setEvents] = useState<StreamItem[]>([]);
  const listeners = useRef(new Set<(event: StreamItem) => void>());
  const lastEventId = useRef<string | null>(null);
  /** The id a (re)started subscription resumes after; changed only when we restart it ourselves. */
  const [resumeFrom, setResumeFrom] = useState<string | null>(null);
  const [online, setOnline] = useState(true);
  const [stale, setStale] = useState(true);
  const [lastUpdateAt, setLastUpdateAt] = useState<number | null>(null);
  const wasDown = useRef(false);

  const subscription = useSubscription(
    trpc.events.stream.subscriptionOptions(resumeFrom ? { lastEventId: resumeFrom } : undefined, {
      enabled,
      onData(item) {
        const event = ('data' in item ? item.data : item) as StreamItem;
        if (event.type === 'resync') {
          void queryClient.invalidateQueries();
          return;
        }
        lastEventId.current = String(event.id);
        setEvents((current) => (current.some((known) => known.id === event.id) ? current : [event, ...current].slice(0, KEEP_EVENTS)));
        for (const listener of listeners.current) listener(event);
        const stale = staleQueries(event.type);
        for (const path of stale) void queryClient.invalidateQueries(pathFilter(trpc, path));
      },
    }),
  );
  const restart = useRef<() => void>(() => undefined);
  restart.current = () => {
    // A new subscription that resumes after the last event seen (a changed input restarts it).
    if (lastEventId.current !== resumeFrom) setResumeFrom(lastEventId.current);
    else subscription.reset();
  };

  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
      if (navigator.onLine) restart.current();
    };
    setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  // The watchdog: marks the stream stale when it has been silent too long, fresh again when it speaks.
  useEffect(() => {
    const check = () => {
      setStale(health.isStale());
      // While the browser says it is offline, "last update" stays when the outage began.
      if (navigator.onLine) setLastUpdateAt(health.lastSeenAt || null);
    };
    check();
    const timer = window.setInterval(check, WATCHDOG_TICK_MS);
    const stop = health.onTouch(check);
    return () => {
      window.clearInterval(timer);
      stop();
    };
  }, [health]);

  const connected = subscription.status === 'pending';
  const status: LiveStatus = !enabled ? 'off' : !online || (stale && lastUpdateAt !== null) ? 'offline' : connected && !stale ? 'live' : 'connecting';

  // Back from an outage: refetch everything the events of the gap may not cover (e.g. a replay cut short).
  useEffect(() => {
    if (status === 'offline') wasDown.current = true;
    if (status === 'live' && wasDown.current) {
      wasDown.current = false;
      void queryClient.invalidateQueries();
    }
  }, [status, queryClient]);

  const value = useMemo<LiveEventsValue>(
    () => ({
      events,
      status,
      lastUpdateAt,
      listen(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [events, status, lastUpdateAt],
  );
  return <LiveEventsContext.Provider value={value}>{children}</LiveEventsContext.Provider>;
}

type RouterPath = 'agents' | 'tasks' | 'approvals' | 'escalations' | 'messages' | 'context' | 'costs' | 'users' | 'tokens' | 'memory' | 'inbox';

/** Which data an event makes stale. */
function staleQueries(type: StreamItem['type']): RouterPath[] {
  if (type.startsWith('agent_') || type === 'breaker_changed') return ['agents', 'inbox'];
  if (type === 'task_stream') return [];
  if (type.startsWith('task_')) return ['tasks', 'agents', 'inbox'];
  if (type.startsWith('approval_')) return ['approvals', 'inbox'];
  if (type.startsWith('escalation_')) return ['escalations', 'inbox'];
  if (type === 'message_posted') return ['messages'];
  if (type.startsWith('context_')) return ['context'];
  if (type.startsWith('memory_')) return ['memory'];
  if (type === 'cost_logged') return ['costs', 'agents'];
  if (type.startsWith('user_')) return ['users'];
  if (type.startsWith('token_')) return ['tokens'];
  return [];
}

function pathFilter(trpc: ReturnType<typeof useTRPC>, path: RouterPath) {
  return trpc[path].pathFilter();
}
