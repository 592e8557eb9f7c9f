// Admin: an API key is created (shown once, with a copy button), works as a bearer token, shows
// its usage today against its limits, and once revoked is refused at once; an inbound webhook is
// created (secret shown once), a delivery arrives and is listed with its outcome. Desktop and
// 430×932 screenshots.
import { expect, test, type Page } from '@playwright/test';
import { scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };

async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath(`${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function openAdmin(page: Page): Promise<void> {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
}

test('an API key is shown once, counts its use, and stops at once when revoked', async ({ page, context, request }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAdmin(page);

  const form = page.getByRole('form', { name: 'Create API key' });
  await form.getByLabel('Name').fill('e2e-script');
  await form.getByLabel('Requests per minute').fill('30');
  await form.getByLabel('Requests per day (UTC)').fill('500');
  await form.getByRole('checkbox', { name: 'tasks:read', exact: true }).check();
  await form.getByRole('button', { name: 'Create API key' }).click();
  const shown = page.getByTestId('shown-once');
  await expect(shown).toContainText('API key e2e-script');
  await expect(shown).toContainText('will not be shown again');
  const key = (await shown.getByTestId('secret-value').textContent())!.trim();
  expect(key).toMatch(/^m3shd_key_/);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await screenshots(page, 'api-key-shown');

  const ok = await request.get('/api/trpc/tasks.list?input=%7B%7D', { headers: { Authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);
  await shown.getByRole('button', { name: 'Done' }).click();
  await page.reload();
  // Never shown again: only its name, usage and limits.
  await expect(page.getByTestId('shown-once')).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);
  const row = page.getByRole('listitem', { name: 'API key e2e-script' });
  await expect(row.getByTestId('key-usage')).toHaveText('1 / 500 requests today · 30 per minute · 1 in all');
  await expect(row).toContainText('1 permissions: tasks:read');
  await expect(row).toContainText('last used');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('group', { name: 'Confirm revoking the API key e2e-script' }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByRole('listitem', { name: 'API key e2e-script' })).toHaveCount(0);
  const refused = await request.get('/api/trpc/tasks.list?input=%7B%7D', { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  await page.getByLabel('Include revoked keys').check();
  await expect(page.getByRole('listitem', { name: 'API key e2e-script' })).toContainText('revoked');
});

test('a webhook is created with its secret shown once, and its deliveries are listed with their outcome', async ({ page, request }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAdmin(page);
  const form = page.getByRole('form', { name: 'Create webhook' });
  await form.getByLabel('Name').fill('e2e-kuma');
  await form.getByLabel('Channel').fill('e2e-alerts');
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const shown = page.getByTestId('shown-once');
  await expect(shown).toContainText('Secret of webhook e2e-kuma');
  const secret = (await shown.getByTestId('secret-value').textContent())!.trim();
  await shown.getByRole('button', { name: 'Done' }).click();

  const row = page.getByRole('listitem', { name: 'Webhook e2e-kuma' });
  const url = (await row.locator('code').first().textContent())!.trim();
  const kuma = { heartbeat: { status: 0, msg: 'timeout after 48000ms' }, monitor: { name: 'e2e-site', url: 'https://e2e.example' }, msg: '[e2e-site] down' };
  const wrong = await request.post(url, { data: kuma, headers: { 'X-Webhook-Secret': 'not-the-secret' } });
  expect(wrong.status()).toBe(401);
  const delivered = await request.post(url, { data: kuma, headers: { 'X-Webhook-Secret': secret, 'User-Agent': 'Uptime-Kuma/1.23.16' } });
  expect(delivered.status()).toBe(202);

  await page.reload();
  const reloaded = page.getByRole('listitem', { name: 'Webhook e2e-kuma' });
  await expect(reloaded).toContainText('last: accepted');
  await reloaded.getByRole('button', { name: 'Deliveries' }).click();
  const list = page.getByRole('list', { name: 'Deliveries to e2e-kuma' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText('accepted 202');
  await expect(list.getByRole('listitem').first()).toContainText('monitor e2e-site is DOWN: timeout after 48000ms');
  await expect(list.getByRole('listitem').nth(1)).toContainText('rejected 401');
  await screenshots(page, 'webhook-deliveries');
});
