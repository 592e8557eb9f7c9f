// Signing in through the dashboard (next-auth credentials), the live event log, and the
// security headers on a page response.
import { expect, test } from '@playwright/test';

const adminPassword = () => process.env.E2E_ADMIN_PASSWORD!;
const masterToken = () => process.env.E2E_MASTER_TOKEN!;

test('a visitor without a session is sent to the login page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('login.png'), fullPage: true });
});

test('a wrong password shows an error and no session', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('definitely-wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toContainText('Wrong username or password');
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === 'm3sh_session')).toBeUndefined();
});

test('the admin signs in, sees the hub and receives live events', async ({ page, request }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(adminPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Mesh', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Hub health')).toContainText('database ok');
  // Events published before the stream is up are not replayed.
  await expect(page.getByTitle('live updates: live')).toBeVisible();

  const created = await request.post('/api/trpc/users.create', {
    headers: { Authorization: `Bearer ${masterToken()}` },
    data: { username: 'e2e-viewer', role: 'viewer' },
  });
  expect(created.status()).toBe(200);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByRole('list', { name: 'Event log' })).toContainText('user e2e-viewer created');
  await page.screenshot({ path: test.info().outputPath('signed-in-log.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test('pages carry the security headers', async ({ request }) => {
  const response = await request.get('/login');
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toBe('camera=(), microphone=(), geolocation=()');
});
