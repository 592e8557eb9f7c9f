// React Query and tRPC for every page: queries and mutations over HTTP batching, the live
// event stream over SSE (httpSubscriptionLink). Cookies authenticate the browser.
'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { LIMITS } from '@/lib/limits';
import { isLongQuery } from '@/lib/long-query';
import type { AppRouter } from '@/server/routers';
import { StreamHealth, watchedEventSource } from './live/stream-health';
import { StreamHealthContext } from './live/stream-health-context';
import { TRPCProvider } from './trpc';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: (count, error) => count < 2 && !String(error.message).includes('authentication') } } }),
  );
  const [streamHealth] = useState(() => new StreamHealth());
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (operation) => operation.type === 'subscription',
          // The watched EventSource tells the shell when the stream last heard from the hub.
          true: httpSubscriptionLink({ url: '/api/trpc', EventSource: typeof EventSource === 'undefined' ? undefined : watchedEventSource(streamHealth) }),
          // The hub refuses batches over LIMITS.trpcBatchCalls: split larger ones.
          false: splitLink({
            condition: isLongQuery,
            true: httpLink({ url: '/api/trpc', methodOverride: 'POST' }),
            false: httpBatchLink({ url: '/api/trpc', maxItems: LIMITS.trpcBatchCalls }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <StreamHealthContext.Provider value={streamHealth}>{children}</StreamHealthContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
