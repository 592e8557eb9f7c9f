// The Logs page reads the event log's history on open: events from before the page (and before a
// reload) are there, each once, searchable by text and type, with links to their task and agent;
// new events then arrive live on top. At phone and desktop sizes.
import { expect, test } from '@playwright/test';
import { api, scrollsSideways, signIn, waitForLiveStream } from './helpers';

const PHONE = { width: 430, height: 932 };
const DESKTOP = { width: 1440, height: 900 };

for (const [sizeName, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
  test(`logs show past events after a reload, then live ones, without duplicates (${sizeName})`, async ({ page, request }) => {
    const suffix = `${Date.now().toString(36)}${sizeName}`;
    await page.setViewportSize(size);
    await signIn(page);
    // Created before the Logs page is opened, so only the event log's history can show it.
    const before = await api<{ id: string }>(request, 'tasks.create', { title: `Logged earlier ${suffix}`, prompt: 'Wait.', requiredCapability: `e2e-logs-${suffix}` });

    await page.goto('/logs');
    await page.reload();
    await waitForLiveStream(page);
    const log = page.getByRole('list', { name: 'Event log' });
    const earlier = log.locator('li[data-type="task_created"]', { hasText: `Logged earlier ${suffix}` });
    await expect(earlier).toHaveCount(1);
    await expect(earlier.getByRole('link', { name: `task “Logged earlier ${suffix}”` })).toHaveAttribute('href', `/tasks/${before.id}`);

    // Live on top of history: a new event shows, the earlier one still once.
    const after = await api<{ id: string }>(request, 'tasks.create', { title: `Logged live ${suffix}`, prompt: 'Wait.', requiredCapability: `e2e-logs-${suffix}` });
    const live = log.locator('li[data-type="task_created"]', { hasText: `Logged live ${suffix}` });
    await expect(live).toHaveCount(1);
    await expect(earlier).toHaveCount(1);

    // Search by text (through history and live), then by type.
    await page.getByLabel('Search').fill(`Logged earlier ${suffix}`);
    await expect(earlier).toHaveCount(1);
    await expect(live).toHaveCount(0);
    await page.getByLabel('Search').fill(suffix);
    await expect(live).toHaveCount(1);
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Agents (agent_*, breakers)' });
    await expect(earlier).toHaveCount(0);
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Tasks (task_*)' });
    await expect(earlier).toHaveCount(1);
    // With the filters on, a new matching event still arrives live.
    await api(request, 'tasks.cancel', { taskId: before.id });
    await expect(log.locator('li[data-type="task_cancelled"]', { hasText: `Logged earlier ${suffix}` })).toHaveCount(1);
    await page.getByLabel('Type', { exact: true }).selectOption('');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`logs-history-${sizeName}.png`), fullPage: true });

    await api(request, 'tasks.cancel', { taskId: after.id });
  });
}
