// The analytics page against a real hub: with a worker's finished task and logged cost seeded
// through the API, the admin sees the summary and the SVG charts, can change the window, and
// the page fits a 430×932 phone without sideways scrolling; a viewer is told it needs
// admin:analytics and has no Analytics tab.
import { expect, test, type Page } from '@playwright/test';
import { api, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };
const CHART_TITLES = ['Throughput by day', 'Tasks by status', 'Tasks by agent', 'Tasks by capability', 'Cost trend', 'Cost by agent', 'Agents'];

async function expectCharts(page: Page): Promise<void> {
  for (const title of CHART_TITLES) {
    const card = page.getByRole('region', { name: title, exact: true });
    await expect(card).toBeVisible();
    await expect(card.getByRole('img').first()).toBeVisible();
  }
}

test.describe('analytics', () => {
  const suffix = Date.now().toString(36);
  const workerId = `analytics-${suffix}`;
  const capability = `e2e-analytics-${suffix}`;

  test.beforeAll(async ({ request }) => {
    const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: workerId, preset: 'worker', label: 'e2e analytics' });
    await api(request, 'agents.register', { id: workerId, name: workerId, machine: 'e2e', capabilities: [capability], maxConcurrent: 2 }, token);
    await api(request, 'tasks.create', { title: 'Analytics e2e: done', prompt: 'Do it.', requiredCapability: capability, assignTo: workerId });
    const claimed = await api<{ taskId: string; attemptId: string }[]>(request, 'tasks.claim', {}, token);
    for (const task of claimed) {
      await api(
        request,
        'tasks.report',
        {
          taskId: task.taskId,
          attemptId: task.attemptId,
          status: 'done',
          output: 'done',
          usage: { model: 'claude-haiku-4-5', inputTokens: 250_000, outputTokens: 10_000 },
          idempotencyKey: `analytics-e2e-${task.attemptId}`,
        },
        token,
      );
    }
    // Waits in the queue: no agent has this capability.
    await api(request, 'tasks.create', { title: 'Analytics e2e: waiting', prompt: 'Wait.', requiredCapability: `${capability}-nobody` });
  });

  test('the admin sees the summary and the charts, and can change the window', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await expect(page).toHaveURL(/\/analytics$/);
    await expect(page.getByRole('heading', { name: 'Analytics', level: 1 })).toBeVisible();
    const summary = page.getByRole('region', { name: 'Summary' });
    await expect(summary).toContainText('Tasks');
    await expect(summary).toContainText('succeeded');
    await expectCharts(page);
    await expect(page.getByRole('region', { name: 'Tasks by capability' }).getByRole('img')).toHaveAttribute('aria-label', 'Tasks by required capability');
    await expect(page.getByRole('region', { name: 'Agents', exact: true }).getByRole('row', { name: new RegExp(workerId) })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Cost by agent' })).toContainText(workerId);
    // Registered seconds ago and online since: 100 % of the time it existed (not 0.1 % of 7 days).
    await expect(page.getByRole('img', { name: 'Uptime per agent in percent' })).toContainText(`${workerId}: 100%`);

    const window = page.getByRole('group', { name: 'Window' });
    await window.getByRole('button', { name: '30 days' }).click();
    await expect(window.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
    // 30 day columns: the first label is 29 days before today, in the app's date format ("Mar 10",
    // with the year only when it is not this year).
    const firstDay = new Date(Date.now() - 29 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const first = await page.evaluate((day) => {
      const date = new Date(`${day}T00:00:00Z`);
      const otherYear = date.getUTCFullYear() !== new Date().getUTCFullYear();
      return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC', ...(otherYear ? { year: 'numeric' } : {}) });
    }, firstDay);
    const throughput = page.getByRole('region', { name: 'Throughput by day' });
    await expect(throughput).toContainText(first);
    // A count axis has whole-number ticks only.
    const axisTexts = await throughput.locator('svg text').allTextContents();
    expect(axisTexts.filter((text) => /^\d+\.\d+$/.test(text.trim()))).toEqual([]);
    await window.getByRole('button', { name: '7 days' }).click();
    await expect(window.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath('analytics-desktop.png'), fullPage: true });
  });

  test('fits a 430×932 phone without sideways scrolling', async ({ page }) => {
    await page.setViewportSize(PHONE);
    await signIn(page);
    await page.goto('/analytics');
    await expectCharts(page);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath('analytics-phone.png'), fullPage: true });
  });

  test('a viewer is told analytics needs admin:analytics and has no Analytics tab', async ({ page, request }) => {
    const username = `viewer-analytics-${suffix}`;
    const password = `viewer-password-${suffix}`;
    await api(request, 'users.create', { username, role: 'viewer', password });
    await signIn(page, username, password);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' })).toHaveCount(0);
    await page.goto('/analytics');
    await expect(page.getByText('Analytics needs the admin:analytics permission.')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('analytics-viewer.png'), fullPage: true });
  });
});
