// One live event subscription for the whole signed-in app: it keeps the recent events (the
// logs page shows them) and refreshes the React Query data each event makes stale, so pages
// update from events, not polling. The stream resumes from the last event id on reconnect, and
// is restarted when the phone comes back online.
'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { StreamItem } from '@/lib/events';
import { useTRPC } from '../trpc';

const KEEP_EVENTS = 500;

export interface LiveEventsValue {
  events: StreamItem[];
  /** 'live' | 'connecting' | 'reconnecting' | 'off' */
  status: string;
  /** Called for every event as it arrives (pages that react to one event, e.g. a task's stream). */
  listen(listener: (event: StreamItem) => void): () => void;
}

const LiveEventsContext = createContext<LiveEventsValue>({ events: [], status: 'off', listen: () => () => undefined });

export function useLiveEvents(): LiveEventsValue {
  return useContext(LiveEventsContext);
}

const STATUS: Record<string, string> = { idle: 'off', connecting: 'connecting', pending: 'live', error: 'reconnecting' };

export function LiveEventsProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<StreamItem[]>([]);
  const listeners = useRef(new Set<(event: StreamItem) => void>());
  const [online, setOnline] = useState(true);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  const subscription = useSubscription(
    trpc.events.stream.subscriptionOptions(undefined, {
      enabled: enabled && online,
      onData(item) {
        const event = ('data' in item ? item.data : item) as StreamItem;
        if (event.type === 'resync') {
          void queryClient.invalidateQueries();
          return;
        }
        setEvents((current) => [event, ...current].slice(0, KEEP_EVENTS));
        for (const listener of listeners.current) listener(event);
        const stale = staleQueries(event.type);
        for (const path of stale) void queryClient.invalidateQueries(pathFilter(trpc, path));
      },
    }),
  );

  const value = useMemo<LiveEventsValue>(
    () => ({
      events,
      status: STATUS[subscription.status] ?? subscription.status,
      listen(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [events, subscription.status],
  );
  return <LiveEventsContext.Provider value={value}>{children}</LiveEventsContext.Provider>;
}

type RouterPath = 'agents' | 'tasks' | 'approvals' | 'escalations' | 'messages' | 'context' | 'costs' | 'users' | 'tokens' | 'memory';

/** Which data an event makes stale. */
function staleQueries(type: StreamItem['type']): RouterPath[] {
  if (type.startsWith('agent_') || type === 'breaker_changed') return ['agents'];
  if (type === 'task_stream') return [];
  if (type.startsWith('task_')) return ['tasks', 'agents'];
  if (type.startsWith('approval_')) return ['approvals'];
  if (type.startsWith('escalation_')) return ['escalations'];
  if (type === 'message_posted') return ['messages'];
  if (type.startsWith('context_')) return ['context'];
  if (type.startsWith('memory_')) return ['memory'];
  if (type === 'cost_logged') return ['costs'];
  if (type.startsWith('user_')) return ['users'];
  if (type.startsWith('token_')) return ['tokens'];
  return [];
}

function pathFilter(trpc: ReturnType<typeof useTRPC>, path: RouterPath) {
  return trpc[path].pathFilter();
}
