// Fetching the public demo's snapshot (GET /api/demo/snapshot). A 429 becomes an error that
// carries the hub's Retry-After, so the page can say when it will refresh.
import { formatAgo } from '@/lib/time-format';
import type { DemoSnapshot } from '@/lib/demo';

export class DemoRateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited for ${retryAfterSeconds} s`);
    this.name = 'DemoRateLimitedError';
  }
}

export async function fetchDemoSnapshot(): Promise<DemoSnapshot> {
  const response = await fetch('/api/demo/snapshot', { cache: 'no-store' });
  if (response.status === 429) throw new DemoRateLimitedError(Number(response.headers.get('retry-after')) || 60);
  if (!response.ok) throw new Error(`the hub answered ${response.status}`);
  return (await response.json()) as DemoSnapshot;
}

/** The app's age format (src/lib/time-format.ts), measured on the hub's clock. */
export function timeAgo(iso: string, nowIso: string): string {
  return formatAgo(iso, new Date(nowIso));
}
