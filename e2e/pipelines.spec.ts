// A pipeline in the dashboard: its graph at /pipelines/<id> follows the steps live while the test
// plays the worker (step 1 done → step 2 running, step 3 waiting), the list shows it, and a step's
// task detail names its parent, its child and the pipeline; the pages fit a phone.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { api, scrollsSideways, signIn, waitForLiveStream } from './helpers';

const PHONE = { width: 430, height: 932 };

interface Claimed {
  taskId: string;
  attemptId: string;
}

async function claim(request: APIRequestContext, agentId: string, token: string, taskId: string): Promise<Claimed> {
  let claimed: Claimed | undefined;
  await expect(async () => {
    const tasks = await api<Claimed[]>(request, 'tasks.claim', { agentId }, token);
    claimed = tasks.find((task) => task.taskId === taskId);
    expect(claimed).toBeDefined();
  }).toPass({ timeout: 10_000 });
  return claimed!;
}

test('a pipeline drawn as a graph, following its steps', async ({ page, request }) => {
  await signIn(page);
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1_000)}`;
  const agentId = `e2e-pipe-${suffix}`;
  const capability = `e2e-pipe-${suffix}`;
  const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId, preset: 'worker', label: 'e2e pipelines' });
  await api(request, 'agents.register', { id: agentId, name: agentId, machine: 'e2e-box', kind: 'desktop', capabilities: [capability], maxConcurrent: 2 }, token);
  const name = `Launch brief ${suffix}`;
  const { pipelineId, taskIds } = await api<{ pipelineId: string; taskIds: string[] }>(request, 'pipelines.create', {
    name,
    steps: [
      { title: 'Research the market', prompt: 'research', requiredCapability: capability },
      { title: 'Summarize findings', prompt: 'summarize', requiredCapability: capability },
      { title: 'Write the announcement', prompt: 'write', requiredCapability: capability },
    ],
  });

  await page.goto(`/pipelines/${pipelineId}`);
  await waitForLiveStream(page);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const graph = page.getByRole('img', { name: new RegExp(`^Pipeline ${name}`) });
  await expect(graph).toBeVisible();
  const nodes = page.getByTestId('pipeline-node');
  await expect(nodes).toHaveCount(3);
  await expect(nodes.nth(1)).toContainText('waiting for step 1');
  await expect(nodes.nth(2)).toContainText('waiting for step 2');

  const first = await claim(request, agentId, token, taskIds[0]!);
  await api(request, 'tasks.report', { taskId: first.taskId, attemptId: first.attemptId, status: 'done', output: 'the market is big', idempotencyKey: `e2e-${first.attemptId}` }, token);
  const second = await claim(request, agentId, token, taskIds[1]!);
  await expect(nodes.nth(0)).toHaveAttribute('data-status', 'done');
  await expect(nodes.nth(1)).toHaveAttribute('data-status', 'running');
  await expect(nodes.nth(1)).toContainText(`running on ${agentId}`);
  await expect(nodes.nth(2)).toContainText('waiting for step 2');
  await expect(page.getByText('1 of 3 steps done')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('pipeline-desktop.png'), fullPage: true });

  // Step 2's detail: its parent, its child and its pipeline; its prompt carries step 1's output.
  await page.goto(`/tasks/${second.taskId}`);
  const links = page.getByRole('region', { name: 'Dependencies' });
  await expect(links.getByRole('list', { name: 'Waits for' })).toContainText('Research the market');
  await expect(links.getByRole('list', { name: 'Then' })).toContainText('Write the announcement');
  await expect(links).toContainText(`Step 2 of 3 in ${name}`);
  await expect(page.getByRole('region', { name: 'Prompt' })).toContainText('the market is big');
  await page.screenshot({ path: test.info().outputPath('task-links-desktop.png'), fullPage: true });
  await links.getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${pipelineId}$`));

  await page.goto('/pipelines');
  await expect(page.getByRole('list', { name: 'Pipelines' }).getByRole('link', { name: new RegExp(name) })).toBeVisible();

  // One made in the form: a step without a prompt is refused by the hub, then it is created.
  await page.getByText('New pipeline').click();
  await page.getByLabel('Name').fill(`Form pipeline ${suffix}`);
  await page.getByLabel('Step 1 title').fill('Gather');
  await page.getByLabel('Step 1 prompt').fill('gather the notes');
  await page.getByLabel('Step 2 title').fill('Condense');
  await page.getByRole('button', { name: 'Create pipeline' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'steps.1.prompt' })).toHaveText('steps.1.prompt: must not be empty');
  await page.getByLabel('Step 2 prompt').fill('condense them');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 3 title').fill('Extra');
  await page.getByRole('button', { name: 'Remove step 3' }).click();
  await page.getByRole('button', { name: 'Create pipeline' }).click();
  await expect(page.getByRole('heading', { name: `Form pipeline ${suffix}`, level: 1 })).toBeVisible();
  await expect(nodes).toHaveCount(2);
  await expect(nodes.nth(1)).toContainText('waiting for step 1');

  await page.setViewportSize(PHONE);
  await page.goto(`/pipelines/${pipelineId}`);
  await expect(nodes).toHaveCount(3);
  expect(await scrollsSideways(page)).toBe(false);
  const box = (await graph.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: test.info().outputPath('pipeline-phone.png'), fullPage: true });
  await page.goto('/pipelines');
  await page.getByText('New pipeline').click();
  await expect(page.getByLabel('Step 2 prompt')).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('pipelines-list-phone.png'), fullPage: true });
  await page.goto(`/tasks/${second.taskId}`);
  await expect(page.getByRole('region', { name: 'Dependencies' })).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('task-links-phone.png'), fullPage: true });

  await api(request, 'tasks.report', { taskId: second.taskId, attemptId: second.attemptId, status: 'done', output: 'summary', idempotencyKey: `e2e-${second.attemptId}` }, token);
});
