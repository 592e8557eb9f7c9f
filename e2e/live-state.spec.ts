// A live state that tells the truth: with the network cut the header says offline within 5 s and
// the page keeps its data, marked as old; back online, the stream resumes from its last event and
// a task created during the outage appears without a reload. At phone and desktop sizes.
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
