// Where the CLI talks to: the hub URL and token (flags first, then MESH_HUB/MESH_TOKEN), the
// typed tRPC client built from them, a timeout for every call, and the unauthenticated health check.
import type { inferRouterOutputs } from '@trpc/server';
import { z } from 'zod';
import { createHubClient, type HubClient } from '../../src/lib/hub-client';
import type { AppRouter } from '../../src/server/routers';
import { stringOption, UsageError, type OptionValues } from './args';
import { CommandFailure } from './errors';

export const DEFAULT_HUB_URL = 'http://localhost:3000';

/** A call that hangs longer than this fails with one line instead of holding the terminal. */
export const REQUEST_TIMEOUT_SECONDS = 30;

const healthSchema = z.object({
  status: z.string(),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.string(),
});
export type HubHealth = z.infer<typeof healthSchema>;

export interface HubSettings {
  url: string;
  token: string | undefined;
}

export function resolveHubSettings(options: OptionValues, env: Readonly<Record<string, string | undefined>>): HubSettings {
  const rawUrl = stringOption(options, 'hub') ?? nonEmpty(env.MESH_HUB) ?? DEFAULT_HUB_URL;
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    throw new UsageError(`the hub URL "${displayUrl(rawUrl)}" is not a URL (expected e.g. http://localhost:3000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the hub URL must start with http:// or https:// (got "${displayUrl(rawUrl)}")`);
  }
  const token = stringOption(options, 'token') ?? nonEmpty(env.MESH_TOKEN);
  return { url: rawUrl.replace(/\/+$/, ''), token };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim().length > 0 ? value.trim() : undefined;
}

/** The URL as printed: credentials in it (http://user:pass@host) are never shown. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export class HubConnection {
  private hubClient: HubClient | undefined;

  constructor(readonly settings: HubSettings) {}

  get displayUrl(): string {
    return displayUrl(this.settings.url);
  }

  /** The typed client; asking for it without a token is a usage error that says how to give one. */
  get client(): HubClient {
    if (!this.settings.token) {
      throw new UsageError('no token: set MESH_TOKEN (or pass --token) to a master or agent token of the hub');
    }
    this.hubClient ??= createHubClient({ hubUrl: this.settings.url, token: this.settings.token });
    return this.hubClient;
  }

  /** Per-call options: every query and mutation gives up after REQUEST_TIMEOUT_SECONDS. */
  request(): { signal: AbortSignal } {
    return { signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000) };
  }

  /** GET /api/health: needs no token. A 503 still carries the report (a degraded hub). */
  async health(): Promise<HubHealth> {
    const response = await fetch(`${this.settings.url}/api/health`, this.request());
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = healthSchema.safeParse(body);
    if (!parsed.success) throw new CommandFailure(`${this.displayUrl} did not answer as an m3shd hub (GET /api/health gave HTTP ${response.status})`);
    return parsed.data;
  }
}

/** What each procedure returns, as the typed client sees it. */
export type HubOutputs = inferRouterOutputs<AppRouter>;
