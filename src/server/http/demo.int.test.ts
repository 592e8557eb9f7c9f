// The public demo over real HTTP: the snapshot carries no prompts, outputs, titles, machine
// names or usernames; 30 requests a minute per IP to /demo and its data, the 31st is 429 with
// Retry-After (static assets do not count; time moves on the hub's clock); 404 when off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSnapshot } from '@/lib/demo';
import { ManualClock } from '../../testing/manual-clock';
import { startTestHub, type TestHub } from '../../testing/test-hub';

const SECRETS = {
  agentName: 'Fred Wojo personal agent',
  machine: 'freds-macbook.tailnet-secret',
  username: 'zelda-private-user',
  title: 'Quarterly layoffs plan title',
  prompt: 'Prompt with the payroll secret 7f3a',
  output: 'Output with the bank password 9c1e',
  stream: 'Streamed chunk about the merger',
};

let clock: ManualClock;
let demoHub: TestHub;
let proxiedHub: TestHub;
let offHub: TestHub;

beforeAll(async () => {
  clock = new ManualClock(new Date());
  demoHub = await startTestHub({ clock, env: { MESH_DEMO: '1' } });
  proxiedHub = await startTestHub({ env: { MESH_DEMO: '1', MESH_TRUST_PROXY: '1' } });
  offHub = await startTestHub();
});

afterAll(async () => {
  await Promise.all([demoHub?.destroy(), proxiedHub?.destroy(), offHub?.destroy()]);
});

/** Moves the clock past the demo's one-minute window, so each test starts with a fresh count. */
function freshWindow(): void {
  clock.advance(61_000);
}

async function seedPrivateData(testHub: TestHub): Promise<void> {
  const master = testHub.client({ token: testHub.masterToken });
  await master.users.create.mutate({ username: SECRETS.username, role: 'user' });
  const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
  const worker = testHub.client({ token });
  await worker.agents.register.mutate({ id: 'rex', name: SECRETS.agentName, machine: SECRETS.machine, kind: 'desktop', capabilities: ['research'], maxConcurrent: 2 });
  await master.tasks.create.mutate({ title: SECRETS.title, prompt: SECRETS.prompt });
  await master.tasks.create.mutate({ title: `${SECRETS.title} two`, prompt: SECRETS.prompt });
  await testHub.hub.dispatcher.settled();
  const claimed = await worker.tasks.claim.mutate({});
  expect(claimed).toHaveLength(2);
  const [done, running] = claimed;
  await worker.tasks.report.mutate({ taskId: done!.taskId, attemptId: done!.attemptId, status: 'done', output: SECRETS.output, idempotencyKey: `done-${done!.attemptId}` });
  // The second stays running with streamed output.
  await worker.tasks.stream.mutate({ taskId: running!.taskId, attemptId: running!.attemptId, content: SECRETS.stream });
  // A third task stays queued behind the others, so the counts cover more than one status.
  await master.tasks.create.mutate({ title: `${SECRETS.title} three`, prompt: SECRETS.prompt, requiredCapability: 'nobody-has-this' });
  await testHub.hub.dispatcher.settled();
}

describe('demo mode on', () => {
  it('serves a redacted snapshot: agents, task counts and statuses, nothing private', async () => {
    freshWindow();
    await seedPrivateData(demoHub);
    const response = await fetch(`${demoHub.url}/api/demo/snapshot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/prompt|output|title|machine|username|name"|token|m3shd_/i);

    const snapshot = JSON.parse(text) as DemoSnapshot;
    expect(snapshot.agents).toEqual([{ id: 'rex', status: 'busy', kind: 'desktop', slotsUsed: 1, slotsTotal: 2 }]);
    expect(snapshot.taskCounts).toEqual({ queued: 1, assigned: 0, running: 1, done: 1, failed: 0, cancelled: 0, suspended: 0 });
    expect(snapshot.recentTasks).toHaveLength(3);
    expect(snapshot.recentTasks.map((task) => task.status).sort()).toEqual(['done', 'queued', 'running']);
    expect(snapshot.recentTasks.find((task) => task.status === 'running')?.agentId).toBe('rex');
    for (const task of snapshot.recentTasks) expect(Object.keys(task).sort()).toEqual(['agentId', 'status', 'updatedAt']);
  });

  it('allows 30 requests a minute per IP to the page and its data; the 31st is 429 with Retry-After', async () => {
    freshWindow();
    for (let index = 1; index <= 30; index++) {
      const path = index % 3 === 0 ? '/demo' : '/api/demo/snapshot';
      const response = await fetch(`${demoHub.url}${path}`);
      // The page itself is Next's to render (absent in this test); it only must not be refused.
      expect(response.status, `request ${index}`).not.toBe(429);
      expect(response.headers.get('ratelimit-remaining')).toBe(String(30 - index));
      await response.arrayBuffer();
    }
    const refused = await fetch(`${demoHub.url}/api/demo/snapshot`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await refused.json()).error.code).toBe('rate_limited');

    const page = await fetch(`${demoHub.url}/demo`);
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toBeTruthy();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Try again in');

    // Neither an encoded path nor a doubled slash gets around the count.
    expect((await fetch(`${demoHub.url}/%64emo`)).status).toBe(429);
    expect((await fetch(`${demoHub.url}//demo`)).status).toBe(429);

    clock.advance(retryAfter * 1000);
    expect((await fetch(`${demoHub.url}/api/demo/snapshot`)).status).toBe(200);
  });

  it('does not count static assets or other paths', async () => {
    freshWindow();
    for (let index = 0; index < 40; index++) {
      const path = ['/_next/static/chunks/main.js', '/favicon.svg', '/_next/static/media/jetbrains-mono.woff2', '/api/health'][index % 4]!;
      await (await fetch(`${demoHub.url}${path}`)).arrayBuffer();
    }
    const response = await fetch(`${demoHub.url}/api/demo/snapshot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-remaining')).toBe('29');
  });

  it('ignores X-Forwarded-For unless MESH_TRUST_PROXY is set', async () => {
    freshWindow();
    for (let index = 0; index < 30; index++) {
      await (await fetch(`${demoHub.url}/api/demo/snapshot`, { headers: { 'X-Forwarded-For': `198.51.100.${index}` } })).arrayBuffer();
    }
    const spoofed = await fetch(`${demoHub.url}/api/demo/snapshot`, { headers: { 'X-Forwarded-For': '198.51.100.200' } });
    expect(spoofed.status).toBe(429);
  });

  it('counts each client IP apart behind a trusted proxy', async () => {
    for (let index = 0; index < 30; index++) {
      const response = await fetch(`${proxiedHub.url}/api/demo/snapshot`, { headers: { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    expect((await fetch(`${proxiedHub.url}/api/demo/snapshot`, { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(429);
    expect((await fetch(`${proxiedHub.url}/api/demo/snapshot`, { headers: { 'X-Forwarded-For': '203.0.113.8' } })).status).toBe(200);
  });

  it('answers other methods and unknown demo paths without data', async () => {
    freshWindow();
    const post = await fetch(`${demoHub.url}/api/demo/snapshot`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${demoHub.url}/api/demo/agents`)).status).toBe(404);
  });
});

describe('demo mode off', () => {
  it('answers 404 for /demo and the snapshot, and counts nothing', async () => {
    await seedPrivateData(offHub);
    for (let index = 0; index < 35; index++) {
      const snapshot = await fetch(`${offHub.url}/api/demo/snapshot`);
      expect(snapshot.status).toBe(404);
      const body = await snapshot.text();
      expect(body).not.toContain('rex');
    }
    const page = await fetch(`${offHub.url}/demo`);
    expect(page.status).toBe(404);
    // Answered by the demo edge itself (not only the no-Next fallback), so it is 404 with Next too.
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('ratelimit-limit')).toBeNull();
  });
});
