// Demo mode (the e2e hub runs with MESH_DEMO=1): /demo works signed out and shows agents (a
// grid and the 3D mesh) but no names, titles or prompts; past 30 requests a minute per IP to
// the page and its data the hub answers 429 with Retry-After, while static assets never count.
// The limit test runs in its own browser context; every context shares the one client IP
// (127.0.0.1), so it reads the hub's RateLimit-Remaining to know how much of the minute
// earlier tests used.
import { expect, test } from '@playwright/test';
import { api, scrollsSideways } from './helpers';

const SECRETS = ['Person Name Of Agent', 'secret-machine.local', 'Secret demo title', 'Secret demo prompt text'];

test('/demo works signed out: agents and task counts, no names or prompts', async ({ page, request }) => {
  const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: 'demo-rex', preset: 'worker' });
  await api(request, 'agents.register', { id: 'demo-rex', name: SECRETS[0], machine: SECRETS[1], kind: 'desktop', maxConcurrent: 2 }, token);
  await api(request, 'tasks.create', { title: SECRETS[2], prompt: SECRETS[3] });

  const response = await page.goto('/demo');
  expect(response?.status()).toBe(200);
  await expect(page.getByText('demo · read-only')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  const agent = page.getByRole('listitem', { name: 'Agent demo-rex' });
  await expect(agent).toContainText('desktop');
  await expect(agent).toContainText('slots');
  // The /mesh page's 3D scene, fed with the demo's data, draws a canvas.
  const mesh = page.getByRole('group', { name: '3D mesh' });
  // Other specs share this hub, so there may be more agents than this one.
  await expect(mesh).toHaveAttribute('data-agents', /^[1-9]\d*$/);
  await expect(mesh.locator('canvas')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Tasks by status' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recent tasks' })).toBeVisible();
  const text = await page.locator('body').innerText();
  for (const secret of SECRETS) expect(text).not.toContain(secret);

  await page.screenshot({ path: test.info().outputPath('demo-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 430, height: 932 });
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('demo-phone.png'), fullPage: true });
});

test('past 30 requests a minute /demo answers 429; static assets do not count', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const staticAssets = new Set<string>();
    page.on('request', (sent) => {
      const url = new URL(sent.url());
      if (url.pathname.startsWith('/_next/static/') || url.pathname === '/favicon.svg') staticAssets.add(url.pathname);
    });
    expect((await page.goto('/demo'))?.status()).toBe(200);
    await expect(page.getByRole('listitem', { name: 'Agent demo-rex' })).toBeVisible();
    // Leave the page, so its own refreshes do not add to the count below.
    await page.goto('about:blank');
    expect([...staticAssets].some((asset) => asset.endsWith('.js'))).toBe(true);
    expect([...staticAssets].some((asset) => asset.endsWith('.woff2'))).toBe(true);

    const probe = await context.request.get('/api/demo/snapshot');
    expect(probe.status()).toBe(200);
    expect(probe.headers()['ratelimit-limit']).toBe('30');
    const remaining = Number(probe.headers()['ratelimit-remaining']);
    expect(remaining).toBeGreaterThan(0);

    // Forty static requests later the count has not moved.
    const assets = [...staticAssets];
    for (let index = 0; index < 40; index++) {
      const asset = await context.request.get(assets[index % assets.length]!);
      expect(asset.status(), assets[index % assets.length]).toBe(200);
    }
    const afterAssets = await context.request.get('/api/demo/snapshot');
    expect(Number(afterAssets.headers()['ratelimit-remaining'])).toBe(remaining - 1);

    // Use up the minute's 30 with the page and its data; the next is refused.
    for (let index = 1; index < remaining; index++) {
      const path = index % 2 === 0 ? '/demo' : '/api/demo/snapshot';
      const allowed = await context.request.get(path);
      expect(allowed.status(), `${path} (${index})`).toBe(200);
    }
    const refused = await context.request.get('/api/demo/snapshot');
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe('rate_limited');

    const refusedPage = await page.goto('/demo');
    expect(refusedPage?.status()).toBe(429);
    expect(refusedPage?.headers()['retry-after']).toBeTruthy();
    await expect(page.getByText('The demo allows 30 requests a minute')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('demo-429.png'), fullPage: true });

    // Static assets are still served while the demo is refused.
    expect((await context.request.get(assets[0]!)).status()).toBe(200);
    expect((await context.request.get('/favicon.svg')).status()).toBe(200);
  } finally {
    await context.close();
  }
});
