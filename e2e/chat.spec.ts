// The chat page against a real hub: commands typed in the page are answered live by the hub
// (`status` lists the agents, `@context k=v` then `@context` shows the entry), the quick chips
// send their command, and the page fits a 430×932 phone without sideways scrolling.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { api, apiQuery, scrollsSideways, signIn } from './helpers';

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

const DESKTOP = { width: 1440, height: 900 };

/** A worker's agent token (its messages post as the agent). */
async function agentToken(request: APIRequestContext, id: string): Promise<string> {
  const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: id, preset: 'worker', label: 'e2e chat markdown' });
  await api(request, 'agents.register', { id, name: `Writer ${id.slice(-4)}`, machine: 'e2e-box', kind: 'desktop', capabilities: ['writing'], maxConcurrent: 0 }, token);
  return token;
}

test('a note (leading #, or the note toggle) is posted and starts no agent task', async ({ page, request }) => {
  const marker = `lunch-${Date.now().toString(36)}`;
  await page.setViewportSize(PHONE);
  await signIn(page);
  await page.goto('/chat');
  const composer = page.getByRole('form', { name: 'Send a message' });
  await expect(composer).toContainText('to post a note that starts no agent task');
  const input = page.getByLabel('Message', { exact: true });
  await input.fill(`# ${marker} at noon, back at 1`);
  await expect(composer).toContainText('no agent task is started');
  await expect(composer.getByRole('button', { name: 'Post note' })).toBeVisible();
  await input.press('Enter');
  const messages = page.getByRole('list', { name: 'Messages' });
  const note = messages.locator('li[data-note]').filter({ hasText: `${marker} at noon` });
  await expect(note).toBeVisible();
  await expect(note).toContainText('note');
  // Shown without its #.
  await expect(note.locator('article > div')).toHaveText(`${marker} at noon, back at 1`);

  // The toggle: the text is sent as a note without typing the #.
  await composer.getByRole('button', { name: '# note' }).click();
  await expect(composer.getByRole('button', { name: '# note' })).toHaveAttribute('aria-pressed', 'true');
  await type(page, `${marker} second note`);
  await expect(messages.locator('li[data-note]').filter({ hasText: `${marker} second note` })).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('chat-note-phone.png'), fullPage: true });

  // No hub answer, and no task mentions the text (free chat would have made one with it in its prompt).
  await expect(messages.locator('li[data-kind="system"]').filter({ hasText: marker })).toHaveCount(0);
  const tasks = await apiQuery<{ tasks: unknown[] }>(request, 'tasks.list', { text: marker });
  expect(tasks.tasks).toEqual([]);
  const stored = await apiQuery<{ messages: { content: string }[] }>(request, 'messages.list', { limit: 5 });
  expect(stored.messages.map((message) => message.content)).toContain(`# ${marker} second note`);
});

test('markdown is rendered safely, task ids read as titles, long replies collapse', async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const writer = `e2e-writer-${suffix}`;
  const token = await agentToken(request, writer);
  const task = await api<{ id: string }>(request, 'tasks.create', { title: `Launch checklist ${suffix}`, prompt: 'List it.', requiredCapability: `e2e-nobody-${suffix}` });
  try {
    await page.setViewportSize(DESKTOP);
    await signIn(page);
    await page.goto('/chat');
    const hostile = [
      `## Findings ${suffix}`,
      '',
      'Use **bold**, *italics* and `npm start`.',
      '',
      '- first point',
      '- see [the docs](https://example.com/docs)',
      '',
      '<img src=x onerror="window.__xss = 1"> <script>window.__xss = 2</script>',
      '[click me](javascript:window.__xss=3) and [data](data:text/html,<b>x</b>)',
      '',
      '```',
      'const answer = 42;',
      '```',
      '',
      `Sent to ${writer} as task ${task.id} (/tasks/${task.id}).`,
    ].join('\n');
    await api(request, 'messages.send', { content: hostile }, token);
    const bubble = page.getByRole('list', { name: 'Messages' }).locator('li[data-kind="agent"]').filter({ hasText: `Findings ${suffix}` });
    await expect(bubble).toBeVisible();
    await expect(bubble.getByRole('heading', { name: `Findings ${suffix}` })).toBeVisible();
    await expect(bubble.locator('strong')).toHaveText('bold');
    await expect(bubble.locator('em')).toHaveText('italics');
    await expect(bubble.locator('li')).toHaveCount(2);
    await expect(bubble.locator('pre code')).toHaveText('const answer = 42;');
    await expect(bubble.getByRole('link', { name: 'the docs' })).toHaveAttribute('href', 'https://example.com/docs');
    // Hostile parts stay text: no element made from them, no script address linked, nothing ran.
    await expect(bubble).toContainText('<img src=x onerror="window.__xss = 1">');
    await expect(bubble.locator('img, script')).toHaveCount(0);
    await expect(bubble.getByRole('link', { name: 'click me' })).toHaveCount(0);
    await expect(bubble).toContainText('[click me](javascript:window.__xss=3)');
    await expect(bubble.getByRole('link', { name: 'data' })).toHaveCount(0);
    expect(await bubble.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')).filter((href) => !/^(https:|\/)/.test(href ?? '')))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // The task id reads as the task's title and links to it.
    const reference = bubble.getByRole('link', { name: `Launch checklist ${suffix}` });
    await expect(reference).toHaveAttribute('href', `/tasks/${task.id}`);
    await expect(bubble).not.toContainText(task.id);
    await page.screenshot({ path: test.info().outputPath('chat-markdown-desktop.png'), fullPage: true });

    // A long reply starts collapsed.
    const long = Array.from({ length: 40 }, (_, index) => `Line ${index + 1} of the long answer ${suffix}`).join('\n');
    await api(request, 'messages.send', { content: long }, token);
    const longBubble = page.getByRole('list', { name: 'Messages' }).locator('li[data-kind="agent"]').filter({ hasText: `Line 1 of the long answer ${suffix}` });
    const more = longBubble.getByRole('button', { name: 'Show more' });
    await expect(more).toBeVisible();
    // The text is clipped: more of it than the collapsed box shows.
    const clipped = longBubble.locator('[data-collapsed]');
    expect(await clipped.evaluate((element) => element.scrollHeight > element.clientHeight + 100)).toBe(true);
    const collapsed = (await longBubble.boundingBox())!.height;
    await more.click();
    await expect(longBubble.getByRole('button', { name: 'Show less' })).toBeVisible();
    await expect(longBubble.locator('[data-collapsed]')).toHaveCount(0);
    expect((await longBubble.boundingBox())!.height).toBeGreaterThan(collapsed * 1.5);

    await page.setViewportSize(PHONE);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath('chat-markdown-phone.png'), fullPage: true });
  } finally {
    await api(request, 'tasks.cancel', { taskId: task.id });
  }
});

test('commands are tappable and @ completes an agent name', async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const writer = `e2e-complete-${suffix}`;
  await agentToken(request, writer);
  await page.setViewportSize(PHONE);
  await signIn(page);
  await page.goto('/chat');
  const input = page.getByLabel('Message', { exact: true });
  await page.getByText('Commands', { exact: true }).click();
  await page.locator('details[open]').getByRole('button', { name: 'do <text>' }).click();
  await expect(input).toHaveValue('do ');
  await expect(input).toBeFocused();
  await expect(page.locator('details[open]')).toHaveCount(0);

  await input.fill('');
  await input.pressSequentially(`@${writer.slice(0, -1)}`);
  const options = page.getByRole('listbox', { name: 'Agents' });
  await expect(options.getByRole('option', { name: new RegExp(writer) })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('chat-completion-phone.png'), fullPage: true });
  await options.getByRole('button', { name: new RegExp(`@${writer}`) }).click();
  await expect(input).toHaveValue(`@${writer} `);
  await expect(options).toHaveCount(0);
  expect(await scrollsSideways(page)).toBe(false);
});
