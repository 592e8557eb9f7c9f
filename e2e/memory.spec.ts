// The memory panel against a real hub: memories stored over the API as the agent show on
// /memory?agent=<id> (reached from the agent's card), a search narrows them to whole-word
// matches, Delete removes one (gone from the hub too), Consolidate now merges a duplicate and the
// log shows what it replaced, a claimed task's detail lists the memories injected into its prompt,
// and the page fits a 430×932 phone without sideways scrolling.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, apiQuery, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };

async function registerAgent(request: APIRequestContext): Promise<{ id: string; token: string }> {
  const id = `e2e-memory-${Date.now().toString(36)}${Math.floor(Math.random() * 1_000)}`;
  const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: id, preset: 'worker', label: 'e2e memory' });
  await api(request, 'agents.register', { id, name: id, machine: 'e2e-box', kind: 'desktop', capabilities: [`cap-${id}`], maxConcurrent: 1 }, token);
  return { id, token };
}

test('the memory panel lists, searches, deletes and consolidates an agent’s memory', async ({ page, request }) => {
  const agent = await registerAgent(request);
  await api(request, 'memory.store', { key: 'kangaroo.speed', value: 'Red kangaroos hop at 56 km/h' }, agent.token);
  await api(request, 'memory.store', { key: 'wombat.diet', value: 'Wombats eat grasses and roots' }, agent.token);
  await api(request, 'memory.store', { key: 'roo.top.speed', value: 'red kangaroos hop at 56 KM/H!' }, agent.token);

  await signIn(page);
  await page.goto('/');
  await page.getByRole('article', { name: agent.id }).getByRole('link', { name: 'memory' }).click();
  await expect(page).toHaveURL(new RegExp(`/memory\\?agent=${agent.id}$`));

  const entries = page.getByRole('list', { name: 'Memory entries' });
  await expect(entries.getByRole('listitem')).toHaveCount(3);
  await expect(entries).toContainText('Wombats eat grasses and roots');

  await page.getByLabel('Search (whole words)').fill('wombats');
  await expect(entries.getByRole('listitem')).toHaveCount(1);
  await expect(entries).toContainText('wombat.diet');
  await page.getByLabel('Search (whole words)').fill('wom');
  await expect(page.getByText('No entry holds these words.')).toBeVisible();
  await page.getByLabel('Search (whole words)').fill('"NEAR( OR *');
  await expect(page.getByText('No entry holds these words.')).toBeVisible();
  await page.getByLabel('Search (whole words)').fill('');
  await expect(entries.getByRole('listitem')).toHaveCount(3);

  await page.getByRole('button', { name: 'Delete wombat.diet' }).click();
  await expect(entries.getByRole('listitem')).toHaveCount(2);
  const left = await apiQuery<{ key: string }[]>(request, 'memory.list', { agentId: agent.id });
  expect(left.map((entry) => entry.key).sort()).toEqual(['kangaroo.speed', 'roo.top.speed']);

  await page.getByRole('button', { name: 'Consolidate now' }).click();
  await expect(page.getByRole('status')).toContainText('change(s) across the mesh');
  await expect(entries.getByRole('listitem')).toHaveCount(1);
  await expect(entries).toContainText('kangaroo.speed');
  const changes = page.getByRole('list', { name: 'Consolidation changes' });
  await expect(changes).toContainText('merged duplicates');
  await changes.getByText('What it replaced').first().click();
  await expect(changes).toContainText('red kangaroos hop at 56 KM/H!');

  await page.setViewportSize(PHONE);
  await expect(entries).toContainText('kangaroo.speed');
  expect(await scrollsSideways(page)).toBe(false);
});

test('a claimed task’s detail shows the memories injected into its prompt', async ({ page, request }) => {
  const agent = await registerAgent(request);
  await api(request, 'memory.store', { key: 'platypus.fact', value: 'The platypus lays eggs' }, agent.token);
  const task = await api<{ id: string }>(request, 'tasks.create', { title: 'Platypus', prompt: 'Write about the platypus.', assignTo: agent.id, requiredCapability: `cap-${agent.id}` });
  let prompt = '';
  await expect(async () => {
    const claimed = await api<{ taskId: string; prompt: string }[]>(request, 'tasks.claim', {}, agent.token);
    prompt = claimed.find((entry) => entry.taskId === task.id)?.prompt ?? prompt;
    expect(prompt).not.toBe('');
  }).toPass({ timeout: 10_000 });
  expect(prompt).toContain('- platypus.fact: The platypus lays eggs');

  await signIn(page);
  await page.goto(`/tasks/${task.id}`);
  const injected = page.getByRole('region', { name: 'Memories injected' });
  await expect(injected.getByRole('list', { name: 'Injected memory keys' })).toHaveText('platypus.fact');
  await injected.getByRole('link', { name: agent.id }).click();
  await expect(page).toHaveURL(new RegExp(`/memory\\?agent=${agent.id}$`));
});
