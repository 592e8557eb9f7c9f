// A live state that tells the truth: with the network cut the header says offline within 5 s and
// the page keeps its data, marked as old; back online, the stream resumes from its last event and
// a task created during the outage appears without a reload. At phone and desktop sizes; and
// the same when the connection silently stalls (no browser offline event: only keepalives tell).
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { api, scrollsSideways, signIn, waitForLiveStream } from './helpers';

const PHONE = { width: 430, height: 932 };
const DESKTOP = { width: 1440, height: 900 };
/** The promise: an outage is shown within 5 s. */
const OFFLINE_NOTICE_MS = 5_000;

for (const [sizeName, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
  test(`going offline is shown within 5 s and a task created meanwhile appears after reconnecting (${sizeName})`, async ({ page, context, request }) => {
    const suffix = `${Date.now().toString(36)}${sizeName}`;
    const capability = `e2e-live-${suffix}`;
    await page.setViewportSize(size);
    await signIn(page);
    const known = await api<{ id: string }>(request, 'tasks.create', { title: `Known before ${suffix}`, prompt: 'Wait.', requiredCapability: capability });
    await page.goto('/tasks');
    await waitForLiveStream(page);
    const knownCard = page.getByRole('link', { name: `Task Known before ${suffix}` });
    await expect(knownCard).toBeVisible();

    await context.setOffline(true);
    const banner = page.getByTestId('offline-banner');
    await expect(banner).toBeVisible({ timeout: OFFLINE_NOTICE_MS });
    await expect(banner).toContainText(/offline — last update \d+ s ago/);
    await expect(page.getByTestId('connection-status')).toHaveText('offline');
    // The last data stays on screen.
    await expect(knownCard).toBeVisible();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`offline-${sizeName}.png`), fullPage: false });

    // Created over the API (not through the cut browser) while the page is offline.
    const missed = await api<{ id: string }>(request, 'tasks.create', { title: `Created while offline ${suffix}`, prompt: 'Wait.', requiredCapability: capability });

    await context.setOffline(false);
    await expect(banner).toHaveCount(0, { timeout: 15_000 });
    await waitForLiveStream(page);
    await expect(page.getByRole('link', { name: `Task Created while offline ${suffix}` })).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: test.info().outputPath(`reconnected-${sizeName}.png`), fullPage: false });

    await api(request, 'tasks.cancel', { taskId: known.id });
    await api(request, 'tasks.cancel', { taskId: missed.id });
  });
}

/**
 * A TCP proxy to the hub that can stall: every connection's sockets are paused (nothing flows,
 * nothing is closed), as when a network path dies without telling either end. The browser still
 * believes it is online; only the missing keepalives tell.
 */
async function startStallableProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (stalled) socket.pause();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('a stream that goes silent while the browser thinks it is online is shown offline within 5 s, and recovers', async ({ browser, request, baseURL }) => {
  const suffix = Date.now().toString(36);
  const capability = `e2e-stall-${suffix}`;
  const proxy = await startStallableProxy(Number(new URL(baseURL!).port));
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${proxy.port}`, viewport: DESKTOP });
  const page = await context.newPage();
  try {
    await signIn(page);
    await page.goto('/tasks');
    await waitForLiveStream(page);

    proxy.stall();
    const banner = page.getByTestId('offline-banner');
    await expect(banner).toBeVisible({ timeout: OFFLINE_NOTICE_MS });
    await expect(banner).toContainText(/offline — last update \d+ s ago/);
    const missed = await api<{ id: string }>(request, 'tasks.create', { title: `Created during a stall ${suffix}`, prompt: 'Wait.', requiredCapability: capability });

    proxy.resume();
    await expect(banner).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByRole('link', { name: `Task Created during a stall ${suffix}` })).toBeVisible({ timeout: 15_000 });
    await api(request, 'tasks.cancel', { taskId: missed.id });
  } finally {
    await context.close();
    await proxy.close();
  }
});
