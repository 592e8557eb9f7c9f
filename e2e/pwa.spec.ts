// The PWA: the manifest is served and valid (icons 192/512/maskable, palette colours), the
// pages link it with the apple-touch icon; the service worker registers, never caches /api/*,
// and with the context offline a navigation shows the offline page, which returns to the
// page once the network is back.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { scrollsSideways } from './helpers';

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  background_color: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(request: APIRequestContext, url: string): Promise<{ width: number; height: number; type: string }> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  const bytes = await response.body();
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), type: response.headers()['content-type'] ?? '' };
}

test('the manifest is served, valid and linked from the pages', async ({ request }) => {
  const response = await request.get('/manifest.webmanifest');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/application\/(manifest\+)?json/);
  const manifest = (await response.json()) as Manifest;
  expect(manifest).toMatchObject({ name: 'm3shd', start_url: '/', display: 'standalone', background_color: '#0b0d12', theme_color: '#0b0d12' });
  expect(manifest.short_name.length).toBeGreaterThan(0);

  const bySize = (size: string, purpose: string) => manifest.icons.find((icon) => icon.sizes === size && (icon.purpose ?? 'any').split(' ').includes(purpose));
  for (const [size, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']] as const) {
    const icon = bySize(size, purpose);
    expect(icon, `${size} ${purpose}`).toBeDefined();
    const png = await pngSize(request, icon!.src);
    expect(`${png.width}x${png.height}`).toBe(size);
    expect(png.type).toBe('image/png');
  }

  const html = await (await request.get('/login')).text();
  expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  expect(html).toMatch(/<meta name="apple-mobile-web-app-capable" content="yes"/);
  const appleIcon = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(html)?.[1];
  expect(appleIcon).toBeDefined();
  const apple = await pngSize(request, appleIcon!);
  expect(`${apple.width}x${apple.height}`).toBe('180x180');
});

test('the service worker registers; offline, a navigation shows the offline page', async ({ page, context }) => {
  await page.goto('/login');
  const scriptUrl = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? null);
  expect(scriptUrl).toMatch(/\/sw\.js$/);
  // The worker claims its clients when it activates; a reload makes sure this page is controlled.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.goto('/tasks');
  await expect(page.getByRole('heading', { name: 'You are offline' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('offline-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 430, height: 932 });
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('offline-phone.png'), fullPage: true });

  // Nothing under /api/ was ever cached; the shell was.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached).toContain('/offline.html');
  expect(cached).toContain('/manifest.webmanifest');
  expect(cached.some((url) => url.startsWith('/_next/static/'))).toBe(true);
  expect(cached.filter((url) => url.startsWith('/api/'))).toEqual([]);

  // Back online, the offline page reloads itself into the page that was asked for (/tasks,
  // which sends a visitor without a session on to /login) once the hub answers its check.
  await context.setOffline(false);
  await expect(page).toHaveURL(/\/login\?next=%2Ftasks$/, { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
