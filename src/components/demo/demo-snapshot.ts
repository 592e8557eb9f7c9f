// Fetching the public demo's snapshot (GET /api/demo/snapshot). A 429 becomes an error that
// carries the hub's Retry-After, so the page can say when it will refresh.
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

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago", measured on the hub's clock. */
export function timeAgo(iso: string, nowIso: string): string {
  const seconds = Math.max(0, Math.round((new Date(nowIso).getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
