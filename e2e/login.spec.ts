// Signing in through the dashboard (next-auth credentials, by password or by the master
// token), returning to the deep link asked for (and nowhere else), the skeleton shown while the
// session is checked, the live event log, and the security headers on a page response.
import { expect, test, type Page } from '@playwright/test';
import { api } from './helpers';

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

async function fillPasswordForm(page: Page) {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(adminPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('sign-in returns to the deep link that sent the visitor to the login page', async ({ page, request }) => {
  const task = await api<{ id: string }>(request, 'tasks.create', { title: 'e2e deep link target', prompt: 'wait here', requiredCapability: 'e2e-nobody-offers-this' });
  await page.goto(`/tasks/${task.id}?from=alert`);
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/tasks/${task.id}?from=alert`)}`);
  await fillPasswordForm(page);
  await expect(page).toHaveURL(`/tasks/${task.id}?from=alert`);
  await expect(page.getByText('e2e deep link target').first()).toBeVisible();
});

test('sign-in never sends the visitor to another site (no open redirect)', async ({ page }) => {
  for (const next of ['//evil.example/steal', 'https://evil.example/steal', '/\\evil.example']) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await fillPasswordForm(page);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(test.info().project.use.baseURL!).origin);
    expect(new URL(page.url()).pathname).toBe('/');
  }
});

test('the master token signs in behind "Use a token", for a master session', async ({ page }) => {
  await page.goto('/login?next=%2Faccount');
  await page.getByRole('button', { name: 'Use a token instead' }).click();
  await page.getByLabel('Master token').fill('m3sh-not-the-master-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toContainText('not the master token');
  await page.getByLabel('Master token').fill(masterToken());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('definition').filter({ hasText: 'master token' })).toBeVisible();
  await expect(page.getByTestId('account-name')).toHaveText('master');
});

test('the skeleton is in the page HTML itself, before any script runs', async ({ request }) => {
  for (const path of ['/', '/tasks', '/tasks/some-task-id', '/analytics']) {
    const html = await (await request.get(path)).text();
    expect(html, path).toContain('data-testid="app-skeleton"');
    expect(html, path).not.toContain('Loading…');
  }
});

test('an app page draws its frame as a skeleton while the session is checked', async ({ page }) => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/trpc/account.me**', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/analytics');
  const skeleton = page.getByTestId('app-skeleton');
  await expect(skeleton).toBeVisible();
  await expect(skeleton.getByText('M3SHD')).toBeVisible();
  await expect(page.getByText('Loading…', { exact: true })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('skeleton.png') });
  release();
  await expect(page).toHaveURL('/login?next=%2Fanalytics');
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
