// Admin: an admin creates a user and a worker token (each secret shown once), an admin-preset
// token needs a master-token session, revoking asks first; a viewer sees no Admin tab, gets
// "not allowed" on /admin and no create/revoke buttons; disabling and role changes confirm, and
// an admin cannot disable or demote themselves. Desktop and 430×932 screenshots.
import { expect, test, type Page } from '@playwright/test';
import { api, apiQuery, masterToken, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };

async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath(`${name}-phone.png`), fullPage: true });
}

test('the admin creates a user and a worker token, each secret shown once', async ({ page, context, request }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();

  // A user: the generated password is shown once and signs in.
  const createUser = page.getByRole('form', { name: 'Create user' });
  await createUser.getByLabel('Username').fill('e2e-operator');
  await createUser.getByLabel('Role').selectOption('user');
  await createUser.getByRole('button', { name: 'Create user' }).click();
  const userSecret = page.getByTestId('shown-once');
  await expect(userSecret).toContainText('Password for e2e-operator');
  await expect(userSecret).toContainText('will not be shown again');
  const password = (await userSecret.getByTestId('secret-value').textContent())!.trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  const login = await request.post('/api/login', { data: { username: 'e2e-operator', password } });
  expect(login.status()).toBe(200);
  await expect(page.getByRole('listitem', { name: 'User e2e-operator' })).toContainText('user');
  await userSecret.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('shown-once')).toHaveCount(0);

  // A worker token: shown once with a copy button; it works as a bearer token.
  const createToken = page.getByRole('form', { name: 'Create agent token' });
  await createToken.getByLabel('Agent id').fill('e2e-admin-rex');
  await createToken.getByLabel('Preset', { exact: true }).selectOption('worker');
  await createToken.getByRole('button', { name: 'Create token' }).click();
  const tokenSecret = page.getByTestId('shown-once');
  await expect(tokenSecret).toContainText('Token for agent e2e-admin-rex (worker)');
  await expect(tokenSecret).toContainText('will not be shown again');
  const token = (await tokenSecret.getByTestId('secret-value').textContent())!.trim();
  expect(token).toMatch(/^m3shd_/);
  await tokenSecret.getByRole('button', { name: 'Copy' }).click();
  await expect(tokenSecret.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const me = await request.get('/api/trpc/account.me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  await expect(page.getByRole('listitem', { name: 'Token for e2e-admin-rex' })).toContainText('worker');
  await screenshots(page, 'admin-secret-shown');

  await page.setViewportSize({ width: 1280, height: 720 });
  await tokenSecret.getByRole('button', { name: 'Done' }).click();
  await page.reload();
  await expect(page.getByRole('listitem', { name: 'Token for e2e-admin-rex' })).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // An admin-preset token needs the master token: the hub's error is shown.
  await createToken.getByLabel('Agent id').fill('e2e-admin-boss');
  await createToken.getByLabel('Preset', { exact: true }).selectOption('admin');
  await createToken.getByRole('button', { name: 'Create token' }).click();
  await expect(createToken.getByRole('alert')).toContainText('needs the master token');
  await expect(page.getByTestId('shown-once')).toHaveCount(0);
  await screenshots(page, 'admin');
});

test('a master-token session creates an admin-preset token; revoking asks first', async ({ page, request }) => {
  const { token: doomed } = await api<{ token: string }>(request, 'tokens.create', { agentId: 'e2e-revoke-me', preset: 'mobile' });
  const login = await page.request.post('/api/login', { data: { token: masterToken() } });
  expect(login.status()).toBe(200);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();

  const createToken = page.getByRole('form', { name: 'Create agent token' });
  await createToken.getByLabel('Agent id').fill('e2e-admin-boss');
  await createToken.getByLabel('Preset', { exact: true }).selectOption('admin');
  await createToken.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('shown-once')).toContainText('Token for agent e2e-admin-boss (admin)');

  const row = page.getByRole('listitem', { name: 'Token for e2e-revoke-me' });
  await row.getByRole('button', { name: 'Revoke' }).click();
  const confirm = row.getByRole('group', { name: 'Confirm revoking the token for e2e-revoke-me' });
  await expect(confirm).toContainText('Revoke this token?');
  await page.screenshot({ path: test.info().outputPath('admin-revoke-confirm.png'), fullPage: true });
  // Cancelling keeps the token.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await request.get('/api/trpc/account.me', { headers: { Authorization: `Bearer ${doomed}` } })).status()).toBe(200);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByRole('listitem', { name: 'Token for e2e-revoke-me' })).toHaveCount(0);
  expect((await request.get('/api/trpc/account.me', { headers: { Authorization: `Bearer ${doomed}` } })).status()).toBe(401);
  await page.getByLabel('Show revoked').check();
  await expect(page.getByRole('listitem', { name: 'Token for e2e-revoke-me' })).toContainText('revoked');
});

test('a viewer sees no Admin tab, gets "not allowed" on /admin and no buttons', async ({ page, request }) => {
  await api(request, 'users.create', { username: 'e2e-admin-viewer', role: 'viewer', password: 'viewer-password-123' });
  await signIn(page, 'e2e-admin-viewer', 'viewer-password-123');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Account' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);
  for (const name of ['Create user', 'Create token', 'Revoke', 'Reset password', 'Disable']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(page.getByRole('list', { name: 'Users' })).toHaveCount(0);
  await screenshots(page, 'admin-not-allowed');
});

test('disabling a user and changing a role ask first; the admin cannot disable or demote themselves', async ({ page, request }) => {
  const { user: target } = await api<{ user: { id: string } }>(request, 'users.create', { username: 'e2e-confirm-target', role: 'user' });
  await signIn(page);
  await page.goto('/admin');
  const targetNow = async () => (await apiQuery<{ id: string; role: string; disabled: boolean }[]>(request, 'users.list')).find((user) => user.id === target.id)!;

  // Their own row: no Disable button, the role select is locked.
  const me = page.getByRole('listitem', { name: 'User admin', exact: true });
  await expect(me).toContainText('you');
  await expect(me.getByRole('button', { name: 'Disable' })).toHaveCount(0);
  await expect(me.getByLabel('Role of admin')).toBeDisabled();

  // Disable: a confirm; cancelling changes nothing, confirming disables.
  const row = page.getByRole('listitem', { name: 'User e2e-confirm-target' });
  await row.getByRole('button', { name: 'Disable' }).click();
  const confirmDisable = row.getByRole('group', { name: 'Confirm: Disable user for e2e-confirm-target' });
  await expect(confirmDisable).toContainText('Disable e2e-confirm-target?');
  await confirmDisable.getByRole('button', { name: 'Cancel' }).click();
  expect((await targetNow()).disabled).toBe(false);
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByRole('button', { name: 'Disable user' }).click();
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();
  expect((await targetNow()).disabled).toBe(true);

  // Role change: choosing a role asks; only the confirm sends it.
  await row.getByLabel('Role of e2e-confirm-target').selectOption('viewer');
  const confirmRole = row.getByRole('group', { name: 'Confirm: Change role for e2e-confirm-target' });
  await expect(confirmRole).toContainText('from user to viewer');
  expect((await targetNow()).role).toBe('user');
  await page.screenshot({ path: test.info().outputPath('admin-role-confirm.png'), fullPage: true });
  await confirmRole.getByRole('button', { name: 'Change role' }).click();
  await expect(confirmRole).toHaveCount(0);
  await expect(row.getByLabel('Role of e2e-confirm-target')).toHaveValue('viewer');
  expect((await targetNow()).role).toBe('viewer');
  await screenshots(page, 'admin-confirms');
});
