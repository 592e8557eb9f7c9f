// Plugins in Admin: the built-ins are listed with their status; an invocation and a failing
// call show up live (count, last error); switching a plugin off makes the hub refuse its tool
// (409) until it is switched on again. Desktop and 430×932 screenshots.
import { expect, test } from '@playwright/test';
import { api, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };

test('the admin sees plugins, their use and last error, and switches one off and on', async ({ page, request }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  const panel = page.getByRole('region', { name: /Plugins/ });
  await expect(panel).toBeVisible();
  for (const name of ['web_search', 'file_summary', 'notify']) await expect(panel.getByRole('listitem', { name: `Plugin ${name}` })).toContainText('active');

  // notify with no ntfy configured still answers (and counts); web_search has no backend here.
  const notifyRow = panel.getByRole('listitem', { name: 'Plugin notify' });
  const before = Number(await notifyRow.getByTestId('plugin-invocations').textContent());
  await api(request, 'plugins.invoke', { tool: 'notify', args: { message: 'hello from e2e' } });
  await expect(notifyRow.getByTestId('plugin-invocations')).toHaveText(String(before + 1));
  const failed = await request.post('/api/trpc/plugins.invoke', { headers: { Authorization: `Bearer ${process.env.E2E_MASTER_TOKEN}` }, data: { tool: 'web_search', args: { query: 'x' } } });
  expect(failed.status()).toBe(503);
  const searchRow = panel.getByRole('listitem', { name: 'Plugin web_search' });
  await expect(searchRow).toContainText('web_search: web_search is not configured on this hub (MESH_SEARCH_URL)');

  // Off: the badge says so and the hub refuses the tool; on again: it runs.
  const toggle = searchRow.getByRole('switch', { name: 'Enabled' });
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(searchRow).toContainText('disabled');
  const refused = await request.post('/api/trpc/plugins.invoke', { headers: { Authorization: `Bearer ${process.env.E2E_MASTER_TOKEN}` }, data: { tool: 'web_search', args: { query: 'x' } } });
  expect(refused.status()).toBe(409);
  await page.screenshot({ path: test.info().outputPath('plugins-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONE);
  expect(await scrollsSideways(page)).toBe(false);
  await searchRow.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('plugins-phone.png'), fullPage: true });
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(searchRow).toContainText('active');
});
