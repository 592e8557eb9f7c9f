// The chat page against a real hub: commands typed in the page are answered live by the hub
// (`status` lists the agents, `@context k=v` then `@context` shows the entry), the quick chips
// send their command, and the page fits a 430×932 phone without sideways scrolling.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { api, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };

async function type(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  await expect(input).toHaveValue('');
}

/** The newest answer of the hub in the conversation. */
function lastHubAnswer(page: Page) {
  return page.getByRole('list', { name: 'Messages' }).locator('li[data-kind="system"]').last();
}

test('chat commands are answered: status lists agents, @context sets and shows an entry', async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const archonId = `e2e-archon-${suffix}`;
  const rexId = `e2e-rex-${suffix}`;
  const tokens: Record<string, string> = {};
  for (const [id, name, maxConcurrent] of [
    [archonId, 'Archon', 1],
    [rexId, 'Rex', 2],
  ] as const) {
    const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: id, preset: 'worker', label: 'e2e chat' });
    await api(request, 'agents.register', { id, name, machine: 'e2e-box', kind: 'desktop', capabilities: ['research'], maxConcurrent }, token);
    tokens[id] = token;
  }
  // A task no agent can take, so `tasks` has something to list.
  const task = await api<{ id: string }>(request, 'tasks.create', { title: 'Draft the launch post', prompt: 'Write it.', requiredCapability: `e2e-chat-${suffix}` });
  try {
    await converse(page, request, { archonId, rexId, rexToken: tokens[rexId]! });
  } finally {
    // Other specs share this hub: leave no queued work, and agents that take none of theirs.
    await api(request, 'tasks.cancel', { taskId: task.id });
    for (const agentId of [archonId, rexId]) await api(request, 'agents.update', { agentId, maxConcurrent: 0 });
  }
});

async function converse(page: Page, request: APIRequestContext, agents: { archonId: string; rexId: string; rexToken: string }): Promise<void> {
  const { archonId, rexId, rexToken } = agents;

  await signIn(page);
  await page.goto('/chat');
  await expect(page.getByRole('heading', { name: 'Chat', level: 1 })).toBeVisible();
  const input = page.getByLabel('Message', { exact: true });
  await expect(input).toBeVisible();
  expect(await input.evaluate((element) => getComputedStyle(element).fontSize)).toBe('16px');

  await type(page, 'status');
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages.locator('li[data-kind="user"][data-side="right"]').filter({ hasText: 'status' }).last()).toBeVisible();
  await expect(lastHubAnswer(page)).toContainText(/Agents: \d+ online/);
  // Online, or busy when queued work of other specs on this shared hub went to them.
  await expect(lastHubAnswer(page)).toContainText(new RegExp(`${archonId} — (online|busy), \\d/1 tasks`));
  await expect(lastHubAnswer(page)).toContainText(new RegExp(`${rexId} — (online|busy), \\d/2 tasks`));

  // An agent's message arrives live, on the left, in the agent's colour.
  await api(request, 'messages.send', { content: 'On it: researching the market.' }, rexToken);
  const agentBubble = messages.locator('li[data-kind="agent"][data-side="left"]').filter({ hasText: 'On it: researching the market.' });
  await expect(agentBubble).toContainText(rexId);
  // The agent's tone from the palette (Chromium may report it with var() substituted: a colour or
  // a color-mix), and not the operator's amber.
  const toneOf = (bubble: typeof agentBubble) => bubble.locator('article').evaluate((element) => getComputedStyle(element).getPropertyValue('--tone').trim());
  const agentTone = await toneOf(agentBubble);
  expect(agentTone).toMatch(/^(#|rgb|color-mix|var\(--)/);
  expect(agentTone).not.toBe(await toneOf(messages.locator('li[data-kind="user"][data-side="right"]').filter({ hasText: 'status' }).last()));

  await page.screenshot({ path: test.info().outputPath('chat-status-desktop.png'), fullPage: true });

  await type(page, '@context deploy=friday');
  await expect(lastHubAnswer(page)).toHaveText(/Context set: deploy = friday/);
  await type(page, '@context');
  await expect(lastHubAnswer(page)).toContainText('Shared context:');
  await expect(lastHubAnswer(page)).toContainText('deploy = friday');

  await page.getByRole('group', { name: 'Quick commands' }).getByRole('button', { name: 'pending' }).click();
  await expect(lastHubAnswer(page)).toContainText(/pending approval/);

  // The newest answer is in view: the list stuck to the bottom.
  await expect(lastHubAnswer(page)).toBeInViewport();
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('chat-desktop.png'), fullPage: true });

  await page.setViewportSize(PHONE);
  await type(page, 'tasks');
  await expect(lastHubAnswer(page)).toContainText(/most recent task/);
  await expect(lastHubAnswer(page)).toContainText('Draft the launch post · unassigned · queued');
  await expect(lastHubAnswer(page).getByRole('link', { name: '/tasks' })).toHaveAttribute('href', '/tasks');
  await expect(lastHubAnswer(page)).toBeInViewport();
  await expect(input).toBeInViewport();
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('chat-phone.png'), fullPage: true });
}

test('the commands panel lists the command language, and fits a phone', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page);
  await page.goto('/chat');
  await page.getByText('Commands', { exact: true }).click();
  const panel = page.locator('details[open]');
  await expect(panel).toContainText('@context key=value');
  await expect(panel).toContainText('auto <goal>');
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('chat-commands-phone.png'), fullPage: true });
});
