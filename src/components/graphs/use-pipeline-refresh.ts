// Pipeline views follow their steps: task and pipeline events make the pipelines.* queries stale
// (the shell's own event → query map covers tasks, not pipelines).
'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLiveEvents } from '../shell/live-events';
import { useTRPC } from '../trpc';

export function usePipelineRefresh(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { listen } = useLiveEvents();
  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'task_stream') return;
        if (event.type.startsWith('task_') || event.type === 'pipeline_created') void queryClient.invalidateQueries(trpc.pipelines.pathFilter());
      }),
    [listen, queryClient, trpc],
  );
}
