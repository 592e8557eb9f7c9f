// The tasks page against a real hub: a task created through the sheet moves across the kanban
// while the test plays its worker (claim, stream, report), the detail shows the streamed text
// live and the final output after; an over-limit prompt is refused with the hub's message and
// creates nothing; an escalation is acknowledged from the dashboard inbox; a viewer gets no write buttons; and
// board, sheet and detail fit a 430×932 phone without sideways scrolling.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { api, apiQuery, scrollsSideways, signIn, waitForLiveStream } from './helpers';

const PHONE = { width: 430, height: 932 };

interface Worker {
  id: string;
  token: string;
  capability: string;
}

interface Claimed {
  taskId: string;
  attemptId: string;
}

/** A worker joins the mesh: an agent token from the master token, then it registers itself. */
async function registerWorker(request: APIRequestContext, name: string): Promise<Worker> {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1_000)}`;
  const id = `e2e-${name}-${suffix}`;
  // A capability no other spec's agent holds, so only this worker is ever given the task.
  const capability = `e2e-tasks-${suffix}`;
  const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId: id, preset: 'worker', label: 'e2e tasks' });
  await api(request, 'agents.register', { id, name, machine: 'e2e-box', kind: 'desktop', capabilities: [capability], maxConcurrent: 2 }, token);
  return { id, token, capability };
}

/** Claims as the worker until the hub has assigned it the task (dispatch runs just after create). */
async function claimTask(request: APIRequestContext, worker: Worker, taskId: string): Promise<Claimed> {
  let claimed: Claimed | undefined;
  await expect(async () => {
    const tasks = await api<Claimed[]>(request, 'tasks.claim', { agentId: worker.id }, worker.token);
    claimed = tasks.find((task) => task.taskId === taskId);
    expect(claimed).toBeDefined();
  }).toPass({ timeout: 10_000 });
  return claimed!;
}

function column(page: Page, id: string) {
  return page.locator(`section[data-column="${id}"]`);
}

function card(page: Page, title: string) {
  return page.getByRole('link', { name: `Task ${title}` });
}

async function openTasksPage(page: Page): Promise<void> {
  await page.goto('/tasks');
  await waitForLiveStream(page);
  await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('a task created in the sheet moves across the board and streams its output live', async ({ page, request }) => {
  await signIn(page);
  const worker = await registerWorker(request, 'kanban');
  const title = `Summarise the mesh ${worker.id}`;
  await openTasksPage(page);

  await page.getByRole('button', { name: 'New task' }).click();
  const sheet = page.getByRole('dialog', { name: 'New task' });
  await expect(sheet).toBeVisible();
  await sheet.getByLabel('Title').fill(title);

  // Over the 8 KB limit: the count turns red, the hub's error names the field and the limit,
  // the sheet keeps the input, and no task is written.
  await sheet.getByLabel('Prompt').fill('é'.repeat(4_200));
  await expect(sheet.getByTestId('prompt-bytes')).toHaveText('8,400 / 8,192 bytes');
  await sheet.getByRole('button', { name: 'Create task' }).click();
  await expect(sheet.getByRole('alert')).toContainText('prompt: exceeds the 8 KB limit (promptBytes)');
  await expect(sheet.getByLabel('Title')).toHaveValue(title);
  const afterError = await apiQuery<{ tasks: unknown[] }>(request, 'tasks.list', { text: worker.id, limit: 10 });
  expect(afterError.tasks).toHaveLength(0);

  await sheet.getByLabel('Prompt').fill('Summarise what the mesh did today.');
  await expect(sheet.getByTestId('prompt-bytes')).toHaveText('34 / 8,192 bytes');
  await sheet.getByLabel('Capability').fill(worker.capability);
  await sheet.getByLabel('Priority (0–100)').fill('70');
  await sheet.getByLabel('Assign to').selectOption(worker.id);
  await shot(page, 'tasks-sheet-desktop');
  await sheet.getByRole('button', { name: 'Create task' }).click();
  await expect(sheet).toBeHidden();

  // Created: queued, or already assigned to the worker by the dispatcher.
  const created = card(page, title);
  await expect(page.locator('section[data-column="queued"], section[data-column="assigned"]').getByRole('link', { name: `Task ${title}` })).toBeVisible();
  await expect(created).toContainText('P70');
  const taskId = (await created.getAttribute('data-task-id'))!;

  const claimed = await claimTask(request, worker, taskId);
  await expect(column(page, 'running').getByRole('link', { name: `Task ${title}` })).toBeVisible();
  await expect(created).toContainText(`@${worker.id}`);
  await shot(page, 'tasks-board-desktop');

  await created.click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${taskId}$`));
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  const stream = page.getByRole('region', { name: /Live output/ });
  await expect(stream).toContainText('Waiting for the worker’s first output');

  await api(request, 'tasks.stream', { taskId, attemptId: claimed.attemptId, content: 'first chunk' }, worker.token);
  await expect(page.getByTestId('task-stream')).toHaveText('first chunk');
  await api(request, 'tasks.stream', { taskId, attemptId: claimed.attemptId, content: ', then a second' }, worker.token);
  await expect(page.getByTestId('task-stream')).toHaveText('first chunk, then a second');
  await expect(page.getByTestId('task-output')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Attempts' })).toContainText(`#1 @${worker.id}`);
  await shot(page, 'task-detail-streaming-desktop');

  await api(
    request,
    'tasks.report',
    {
      taskId,
      attemptId: claimed.attemptId,
      status: 'done',
      output: 'The mesh finished 3 tasks today.',
      confidence: 0.9,
      usage: { model: 'claude-sonnet-4-5', inputTokens: 1_200, outputTokens: 300 },
      idempotencyKey: `e2e-report-${taskId}`,
    },
    worker.token,
  );
  await expect(page.getByTestId('task-output')).toHaveText('The mesh finished 3 tasks today.');
  await expect(page.getByRole('region', { name: 'Output', exact: true })).toBeVisible();
  await expect(page.getByTestId('status-badge').first()).toHaveText('done');
  await expect(page.getByTestId('task-stream')).toHaveText('first chunk, then a second');
  await expect(page.getByRole('region', { name: /Costs/ })).toContainText('claude-sonnet-4-5');
  await expect(page.getByRole('button', { name: 'Cancel task' })).toHaveCount(0);
  await shot(page, 'task-detail-done-desktop');

  await page.getByRole('link', { name: '← All tasks' }).click();
  const done = column(page, 'done').getByRole('link', { name: `Task ${title}` });
  await expect(done).toBeVisible();
  await expect(done).toContainText('conf 90%');
});

test('an open task can be cancelled and retried from its detail', async ({ page, request }) => {
  await signIn(page);
  const task = await api<{ id: string }>(request, 'tasks.create', {
    title: `Cancel me ${Date.now().toString(36)}`,
    prompt: 'Nobody can do this.',
    requiredCapability: `e2e-nobody-${Date.now().toString(36)}`,
  });
  await page.goto(`/tasks/${task.id}`);
  await waitForLiveStream(page);
  await expect(page.getByTestId('status-badge').first()).toHaveText('queued');
  await page.getByRole('button', { name: 'Cancel task' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('cancelled');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('queued');
  await expect(page.getByRole('button', { name: 'Cancel task' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('task-detail-retried.png'), fullPage: true });
});

test('a worker failing three times raises an escalation that is acknowledged and resolved', async ({ page, request }) => {
  await signIn(page);
  const worker = await registerWorker(request, 'flaky');
  await openTasksPage(page);
  const title = `Flaky job ${worker.id}`;
  const task = await api<{ id: string }>(request, 'tasks.create', { title, prompt: 'Fail, please.', requiredCapability: worker.capability });
  // Each failed attempt requeues the task to the same (only capable) worker until the attempt
  // limit; the third consecutive failure also opens the breaker and escalates.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const claimed = await claimTask(request, worker, task.id);
    await api(request, 'tasks.report', { taskId: task.id, attemptId: claimed.attemptId, status: 'failed', error: `crash ${attempt}`, idempotencyKey: `e2e-fail-${claimed.attemptId}` }, worker.token);
  }
  const failedCard = column(page, 'failed').getByRole('link', { name: `Task ${title}` });
  await expect(failedCard).toBeVisible();
  await expect(failedCard).toContainText('try 3');

  // Escalations live in the dashboard's inbox (e2e/dashboard.spec.ts covers approvals there).
  await page.goto('/');
  const item = page.getByRole('region', { name: /Needs attention/ }).getByRole('listitem', { name: `Escalation from ${worker.id}` });
  await expect(item).toBeVisible();
  await shot(page, 'tasks-escalation-open');
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(item).toHaveCount(0);
  const acknowledged = await apiQuery<{ taskId: string | null }[]>(request, 'escalations.list', { status: 'acknowledged' });
  expect(acknowledged.map((escalation) => escalation.taskId)).toContain(task.id);

  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByRole('region', { name: 'Error', exact: true })).toContainText('crash 3');
  await expect(page.getByRole('region', { name: 'Attempts' }).getByRole('listitem')).toHaveCount(3);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('button', { name: 'Cancel task' })).toBeVisible();
  await shot(page, 'task-detail-retried-after-failures');
});

test('a viewer sees the board and panels but no write buttons', async ({ page, request }) => {
  const username = `e2e-tasks-viewer-${Date.now().toString(36)}`;
  const { password } = await api<{ password: string }>(request, 'users.create', { username, role: 'viewer' });
  const worker = await registerWorker(request, 'asker');
  await api(request, 'approvals.create', { action: `viewer sees ${worker.id}` }, worker.token);
  await signIn(page, username, password);
  await page.goto('/');
  await expect(page.getByRole('listitem', { name: `Approval viewer sees ${worker.id}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await openTasksPage(page);
  await expect(page.getByRole('button', { name: 'New task' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('tasks-viewer.png'), fullPage: true });
});

test('board, sheet and detail fit a 430×932 phone without sideways scrolling', async ({ page, request }) => {
  await page.setViewportSize(PHONE);
  await signIn(page);
  const worker = await registerWorker(request, 'phone');
  await api(request, 'tasks.create', {
    title: `Overdue weekly report ${worker.id}`,
    prompt: 'Write the weekly report.',
    priority: 90,
    requiredCapability: `${worker.capability}-missing`,
    deadline: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  });
  const running = await api<{ id: string }>(request, 'tasks.create', {
    title: `Translate https://example.com/${'a-long-path-segment-'.repeat(5)}notes.md ${worker.id}`,
    prompt: 'Translate the notes into French.',
    requiredCapability: worker.capability,
    assignTo: worker.id,
  });
  const claimed = await claimTask(request, worker, running.id);
  await api(request, 'tasks.stream', { taskId: running.id, attemptId: claimed.attemptId, content: `Bonjour. ${'Une phrase assez longue pour remplir la ligne. '.repeat(6)}` }, worker.token);

  await openTasksPage(page);
  const overdueCard = card(page, `Overdue weekly report ${worker.id}`);
  await expect(overdueCard).toContainText(/overdue 2h/);
  const board = page.getByRole('region', { name: 'Task board' });
  // The columns scroll inside the board; the page itself does not.
  expect(await board.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  expect(await scrollsSideways(page)).toBe(false);
  await shot(page, 'tasks-board-phone');

  await page.getByRole('button', { name: 'New task' }).click();
  const sheet = page.getByRole('dialog', { name: 'New task' });
  await expect(sheet).toBeVisible();
  const box = (await sheet.boundingBox())!;
  // A bottom sheet: full width, resting on the bottom edge.
  expect(Math.round(box.width)).toBe(PHONE.width);
  expect(Math.round(box.y + box.height)).toBe(PHONE.height);
  expect(await scrollsSideways(page)).toBe(false);
  await shot(page, 'tasks-sheet-phone');
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(sheet).toBeHidden();

  await page.goto(`/tasks/${running.id}`);
  await waitForLiveStream(page);
  await expect(page.getByTestId('task-stream')).toContainText('Bonjour.');
  expect(await scrollsSideways(page)).toBe(false);
  await shot(page, 'task-detail-phone');
});
