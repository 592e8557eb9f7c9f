// The first spec of the run (files run in name order, one worker), on the e2e hub while it has
// no agents yet: the dashboard's empty state tells how to join a worker.
import { expect, test } from '@playwright/test';
import { apiQuery, scrollsSideways, signIn } from './helpers';

test('with no agents yet, the dashboard tells how to join a worker', async ({ page, request }) => {
  const agents = await apiQuery<unknown[]>(request, 'agents.list');
  expect(agents, 'this spec must run before any spec registers an agent').toEqual([]);
  await signIn(page);
  const hint = page.getByRole('region', { name: 'No agents yet' });
  await expect(hint).toContainText('npm run worker --');
  await expect(hint).toContainText('MESH_TOKEN=m3shd_ag_');
  await expect(hint).not.toContainText('--token');
  await expect(page.getByLabel('Hub health')).toContainText('database ok');
  await page.setViewportSize({ width: 430, height: 932 });
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('dashboard-empty-phone.png'), fullPage: true });
});
