// React Query and tRPC for every page: queries and mutations over HTTP batching, the live
// event stream over SSE (httpSubscriptionLink). Cookies authenticate the browser.
'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { LIMITS } from '@/lib/limits';
import { isLongQuery } from '@/lib/long-query';
import type { AppRouter } from '@/server/routers';
import { TRPCProvider } from './trpc';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: (count, error) => count < 2 && !String(error.message).includes('authentication') } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (operation) => operation.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api/trpc' }),
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
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
