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
  // Cancelling asks first; "Keep it" changes nothing.
  await page.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('queued');
  await page.getByRole('button', { name: 'Cancel task' }).click();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('cancelled');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('status-badge').first()).toHaveText('queued');
  await expect(page.getByRole('button', { name: 'Cancel task' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('task-detail-retried.png'), fullPage: true });
});

test('a worker failing three times raises an escalation, acknowledged in the inbox and linked from the task', async ({ page, request }) => {
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
  // The failed task links the escalation it raised, with its state.
  await expect(page.getByTestId('task-escalation').getByRole('link')).toContainText(`Escalated ${worker.id} → operator (acknowledged)`);
  // Each attempt keeps its own error.
  await expect(page.getByRole('region', { name: 'Attempts' }).getByTestId('attempt').first()).toContainText('crash 1');
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

const DESKTOP = { width: 1440, height: 900 };

/**
 * Elements that reach past the viewport's left or right edge. Content inside a sideways scroll
 * container that itself fits (the board, the list's table, a chip row) is fine.
 */
async function elementsPastViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const offenders: string[] = [];
    const insideFittingScroller = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') {
          const box = parent.getBoundingClientRect();
          if (box.left >= -0.5 && box.right <= width + 0.5) return true;
        }
      }
      return false;
    };
    for (const element of document.querySelectorAll('body *')) {
      if (insideFittingScroller(element)) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) offenders.push(`${element.tagName.toLowerCase()}.${element.className} right=${Math.round(box.right)}`);
    }
    return offenders.slice(0, 10);
  });
}

test('the list view sorts, filters and pages on the hub, all from its URL', async ({ page, request }) => {
  const capability = `e2e-list-${Date.now().toString(36)}`;
  // 60 tasks nobody can take, priorities 0..59 in a shuffled order; every seventh cancelled.
  const order = Array.from({ length: 60 }, (_, index) => (index * 37) % 60);
  const { tasks: created } = await api<{ tasks: { id: string; title: string; priority: number }[] }>(request, 'tasks.createMany', {
    tasks: order.map((priority) => ({ title: `List job p${String(priority).padStart(2, '0')} ${capability}`, prompt: 'wait', priority, requiredCapability: capability })),
  });
  const cancelled = created.filter((_, index) => index % 7 === 0);
  for (const task of cancelled) await api(request, 'tasks.cancel', { taskId: task.id });
  try {
    await page.setViewportSize(DESKTOP);
    await signIn(page);
    await page.goto(`/tasks?view=list&capability=${capability}&sort=priority`);
    const list = page.getByTestId('task-list');
    const rows = list.locator('tbody tr');
    await expect(page.getByTestId('list-range')).toHaveText('1–50 of 60');
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText('List job p59');
    await expect(list.getByRole('columnheader', { name: /Priority/ })).toHaveAttribute('aria-sort', 'descending');
    await shot(page, 'tasks-list-desktop');

    // Page 2 comes from the hub (offset 50) and lands in the URL.
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByTestId('list-range')).toHaveText('51–60 of 60');
    await expect(rows).toHaveCount(10);
    await expect(rows.last()).toContainText('List job p00');

    // A header sorts (and goes back to page 1); clicking again reverses.
    await list.getByRole('button', { name: 'Title' }).click();
    await expect(page).toHaveURL(/sort=title&order=asc/);
    await expect(page).not.toHaveURL(/page=/);
    await expect(rows.first()).toContainText('List job p00');
    await list.getByRole('button', { name: 'Title' }).click();
    await expect(page).toHaveURL(/sort=title(&|$)/);
    await expect(rows.first()).toContainText('List job p59');

    // What a dashboard tile links to: a status and a time range, read from the URL.
    await page.goto(`/tasks?view=list&status=cancelled&since=24h&capability=${capability}`);
    await expect(page.getByTestId('list-range')).toHaveText(`1–${cancelled.length} of ${cancelled.length}`);
    await expect(page.getByLabel('Status')).toHaveValue('cancelled');
    await expect(page.getByLabel('Changed')).toHaveValue('24h');
    for (const row of await rows.all()) await expect(row.getByTestId('status-badge')).toHaveText('cancelled');
    // A window that ended before the tasks were changed holds none of them.
    await page.goto(`/tasks?view=list&status=cancelled&since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00Z&capability=${capability}`);
    await expect(page.getByText('No task matches these filters.')).toBeVisible();

    // Back on the board, the ended column shows its latest few and links to the rest.
    await page.goto(`/tasks?capability=${capability}&status=cancelled`);
    const failedColumn = column(page, 'failed');
    await expect(failedColumn.getByRole('listitem')).toHaveCount(Math.min(cancelled.length, 10));
    await expect(failedColumn.locator('h3')).toContainText(String(cancelled.length));
    // The other columns hold nothing this filter lets through: they are not shown.
    await expect(column(page, 'queued')).toHaveCount(0);

    await page.setViewportSize(PHONE);
    await page.goto(`/tasks?view=list&capability=${capability}`);
    await expect(page.getByTestId('list-range')).toHaveText('1–50 of 60');
    expect(await scrollsSideways(page)).toBe(false);
    expect(await elementsPastViewport(page)).toEqual([]);
    await shot(page, 'tasks-list-phone');
  } finally {
    for (const task of created) if (!cancelled.includes(task)) await api(request, 'tasks.cancel', { taskId: task.id });
  }
});

test('card badges stay inside their column at 1440×900, and nothing passes a 430×932 viewport', async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const capability = `e2e-badges-${suffix}`;
  const task = await api<{ id: string }>(request, 'tasks.create', {
    title: `A task with every badge and a rather long title to wrap ${suffix}`,
    prompt: 'wait',
    priority: 95,
    requiredCapability: capability,
    deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  });
  try {
    await page.setViewportSize(DESKTOP);
    await signIn(page);
    await openTasksPage(page);
    const cards = page.locator('section[data-column] li a');
    await expect(card(page, `A task with every badge and a rather long title to wrap ${suffix}`)).toBeVisible();
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll('section[data-column]')].flatMap((section) => {
        const columnBox = section.getBoundingClientRect();
        return [...section.querySelectorAll('li a, li a *')]
          .map((element) => element.getBoundingClientRect())
          .filter((box) => box.width > 0 && (box.right > columnBox.right + 0.5 || box.left < columnBox.left - 0.5))
          .map((box) => `${section.getAttribute('data-column')}: ${Math.round(box.right - columnBox.right)} px`);
      }),
    );
    expect(await cards.count()).toBeGreaterThan(0);
    expect(overflow).toEqual([]);
    // The page uses the width of a desktop screen, not the shell's 1200 px reading column.
    const boardWidth = (await page.getByRole('region', { name: 'Task board' }).boundingBox())!.width;
    expect(boardWidth).toBeGreaterThan(1300);
    expect(await elementsPastViewport(page)).toEqual([]);
    await shot(page, 'tasks-board-desktop-wide');

    await page.setViewportSize(PHONE);
    await openTasksPage(page);
    await expect(card(page, `A task with every badge and a rather long title to wrap ${suffix}`)).toBeVisible();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await elementsPastViewport(page)).toEqual([]);
    await shot(page, 'tasks-board-phone-badges');
  } finally {
    await api(request, 'tasks.cancel', { taskId: task.id });
  }
});

test('the detail ticks while running, keeps each attempt’s error, copies the output and re-runs the task', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize(DESKTOP);
  await signIn(page);
  const worker = await registerWorker(request, 'detail');
  const title = `Detail job ${worker.id}`;
  const task = await api<{ id: string }>(request, 'tasks.create', { title, prompt: 'Answer briefly.', requiredCapability: worker.capability, priority: 61 });

  // First attempt fails (the task goes back to the queue), the second runs.
  const first = await claimTask(request, worker, task.id);
  await api(request, 'tasks.report', { taskId: task.id, attemptId: first.attemptId, status: 'failed', error: 'crash on attempt one', idempotencyKey: `e2e-f-${first.attemptId}` }, worker.token);
  const second = await claimTask(request, worker, task.id);
  await page.goto(`/tasks/${task.id}`);
  await waitForLiveStream(page);
  const elapsed = page.getByTestId('task-elapsed').first();
  await expect(elapsed).toBeVisible();
  const shown = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(shown!, { timeout: 5_000 });
  const attempts = page.getByRole('region', { name: 'Attempts' }).getByTestId('attempt');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.first()).toContainText('crash on attempt one');
  await shot(page, 'task-detail-running-desktop');

  // The stream says exactly what the output says: shown once.
  const answer = 'The answer is **42**.';
  await api(request, 'tasks.stream', { taskId: task.id, attemptId: second.attemptId, content: answer }, worker.token);
  await expect(page.getByTestId('task-stream')).toHaveText(answer);
  await api(request, 'tasks.report', { taskId: task.id, attemptId: second.attemptId, status: 'done', output: answer, idempotencyKey: `e2e-d-${second.attemptId}` }, worker.token);
  await expect(page.getByTestId('task-output')).toHaveText(answer);
  await expect(page.getByTestId('task-stream')).toHaveCount(0);
  await expect(page.getByRole('region', { name: /Streamed output/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Copy output' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(answer);

  await page.getByRole('button', { name: 'Re-run as a new task' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/tasks/${task.id}$`));
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  const copyId = page.url().split('/tasks/')[1]!;
  const copy = await apiQuery<{ id: string; status: string; priority: number; prompt: string }>(request, 'tasks.get', { taskId: copyId });
  expect(copy).toMatchObject({ priority: 61, prompt: 'Answer briefly.' });
  const original = await apiQuery<{ status: string; output: string }>(request, 'tasks.get', { taskId: task.id });
  expect(original).toMatchObject({ status: 'done', output: answer });
  await shot(page, 'task-detail-rerun-desktop');
  await api(request, 'tasks.cancel', { taskId: copyId });

  // Without the Clipboard API (plain http on a LAN address), copying still works.
  const bare = await context.newPage();
  await bare.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await bare.setViewportSize(PHONE);
  await bare.goto(`/tasks/${task.id}`);
  await bare.getByRole('button', { name: 'Copy output' }).click();
  await expect(bare.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await scrollsSideways(bare)).toBe(false);
  await bare.screenshot({ path: test.info().outputPath('task-detail-done-phone.png'), fullPage: true });
  await bare.close();
});
