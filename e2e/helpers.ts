// Shared steps for the e2e specs: signing in through the login page, and calling tRPC procedures
// over HTTP (plain JSON, no transformer) to seed data as the master token or as a worker.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const adminPassword = () => process.env.E2E_ADMIN_PASSWORD!;
export const masterToken = () => process.env.E2E_MASTER_TOKEN!;

/** Signs in through the login form and waits for the signed-in shell and its live stream. */
export async function signIn(page: Page, username = 'admin', password = adminPassword()): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await waitForLiveStream(page);
}

/** Events published before the subscription is up are not replayed, so seed only after this. */
export async function waitForLiveStream(page: Page): Promise<void> {
  await expect(page.getByTitle('live updates: live')).toBeVisible();
}

async function unwrap<T>(proc: string, response: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  if (!response.ok()) throw new Error(`${proc} answered ${response.status()}: ${await response.text()}`);
  const body = (await response.json()) as { result: { data: T } };
  return body.result.data;
}

/** Calls a mutation (POST); the token defaults to the master token. */
export async function api<T = unknown>(request: APIRequestContext, proc: string, input: unknown, token = masterToken()): Promise<T> {
  const response = await request.post(`/api/trpc/${proc}`, { headers: { Authorization: `Bearer ${token}` }, data: input });
  return unwrap<T>(proc, response);
}

/** Calls a query (GET with the input in the query string); the token defaults to the master token. */
export async function apiQuery<T = unknown>(request: APIRequestContext, proc: string, input?: unknown, token = masterToken()): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await request.get(`/api/trpc/${proc}${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return unwrap<T>(proc, response);
}

/** True when the page scrolls sideways (what the 430×932 phone checks forbid). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** Goes to a page through the main navigation: its tab, or on a phone through the More sheet. */
export async function navigateTo(page: Page, label: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const link = nav.getByRole('link', { name: label, exact: true });
  if (await link.isVisible()) return link.click();
  await nav.getByRole('button', { name: 'More' }).click();
  await page.getByRole('dialog', { name: 'More' }).getByRole('link', { name: label, exact: true }).click();
}
