// Account: who you are and your permissions; changing your own password with the hub's errors
// shown by field; signing out. Desktop and 430×932 screenshots.
import { expect, test } from '@playwright/test';
import { api, scrollsSideways, signIn } from './helpers';

test('a user sees their permissions, changes their password and signs out', async ({ page, request }) => {
  await api(request, 'users.create', { username: 'e2e-account-user', role: 'user', password: 'first-password-123' });
  await signIn(page, 'e2e-account-user', 'first-password-123');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await expect(page.getByTestId('account-name')).toHaveText('e2e-account-user');
  await expect(page.getByLabel('tasks:write: held')).toBeVisible();
  await expect(page.getByLabel('admin:users: not held')).toBeVisible();

  const form = page.getByRole('form', { name: 'Change password' });
  const current = form.getByLabel('Current password', { exact: true });
  const next = form.getByLabel('New password', { exact: true });
  const repeat = form.getByLabel('Repeat the new password', { exact: true });

  // Wrong current password: the hub's error under that field.
  await current.fill('not-my-password');
  await next.fill('second-password-456');
  await repeat.fill('second-password-456');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toHaveText('does not match');

  // Too short: the hub's error under the new password.
  await current.fill('first-password-123');
  await next.fill('short');
  await repeat.fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(next).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toContainText('at least 12 characters');
  await page.screenshot({ path: test.info().outputPath('account-field-error-desktop.png'), fullPage: true });

  // The repeat must match (checked before asking the hub).
  await next.fill('second-password-456');
  await repeat.fill('second-password-457');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(repeat).toHaveAttribute('aria-invalid', 'true');

  await repeat.fill('second-password-456');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toContainText('Password changed');
  expect((await request.post('/api/login', { data: { username: 'e2e-account-user', password: 'second-password-456' } })).status()).toBe(200);

  await page.screenshot({ path: test.info().outputPath('account-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 430, height: 932 });
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('account-phone.png'), fullPage: true });

  await page.getByRole('button', { name: 'Sign out of this device' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/account');
  // Signed out, the page asked for is kept for after the next sign-in.
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
});
