// The typed tRPC client for Node programs (worker, daemon, tests, benchmarks): HTTP batching
// for queries and mutations, SSE for subscriptions, a bearer token on both. Node 20 has no
// global EventSource, so the `eventsource` package is passed in.
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import { LIMITS } from './limits';
import { isLongQuery } from './long-query';
import type { AppRouter } from '../server/routers';

export interface HubClientOptions {
  /** The hub's base URL, e.g. http://127.0.0.1:3000 */
  hubUrl: string;
  /** A bearer token (master or agent token). */
  token?: string;
  /** Raw Cookie header instead of a token (tests of cookie sessions). */
  cookie?: string;
  /** Origin header to send (cookie-authenticated mutations need the hub's own). */
  origin?: string;
  /** Send each call on its own request instead of batching. */
  batch?: boolean;
}

export type HubClient = TRPCClient<AppRouter>;

export function hubHeaders(options: Pick<HubClientOptions, 'token' | 'cookie' | 'origin'>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.origin) headers.Origin = options.origin;
  return headers;
}

export function createHubClient(options: HubClientOptions): HubClient {
  const url = `${options.hubUrl.replace(/\/$/, '')}/api/trpc`;
  const headers = hubHeaders(options);
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
          },
        }),
        // The hub refuses a batch of more than LIMITS.trpcBatchCalls calls; the link splits larger ones.
        false: splitLink({
          condition: isLongQuery,
          true: httpLink({ url, headers, methodOverride: 'POST' }),
          false: options.batch === false ? httpLink({ url, headers }) : httpBatchLink({ url, headers, maxItems: LIMITS.trpcBatchCalls }),
        }),
      }),
    ],
  });
}
