// The dashboard and the logs page against a real hub: a worker registering through the API
// appears live (no reload), its events show in the log with type/agent filters and pause, and
// both pages fit a 430×932 phone without sideways scrolling. The inbox puts a pending approval
// first and approves it in place (with an undo window), and says why a task cannot run.
import { expect, test, type Page } from '@playwright/test';
import { api, apiQuery, navigateTo, scrollsSideways, signIn } from './helpers';

const PHONE = { width: 430, height: 932 };
const DESKTOP = { width: 1440, height: 900 };
/** The inbox's undo window (src/components/dashboard/inbox.tsx) and a margin. */
const UNDO_WINDOW_MS = 5_000;

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await scrollsSideways(page)).toBe(false);
}

test('a registering worker appears live on the dashboard and in the filtered, pausable log', async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const rexId = `e2e-rex-${suffix}`;
  const echoId = `e2e-echo-${suffix}`;
  const capability = `e2e-dash-${suffix}`;

  await signIn(page);
  await expect(page.getByRole('heading', { name: 'Mesh', level: 1 })).toBeVisible();
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary.getByRole('group', { name: 'Agents online' })).toBeVisible();

  // A worker joins: an agent token from the master token, then register as that agent.
  const rex = await api<{ token: string }>(request, 'tokens.create', { agentId: rexId, preset: 'worker', label: 'e2e dashboard' });
  await api(request, 'agents.register', { id: rexId, name: 'Rex', machine: 'e2e-box', kind: 'desktop', capabilities: ['research', capability], maxConcurrent: 2 }, rex.token);
  const rexCard = page.locator('article', { hasText: rexId });
  await expect(rexCard).toBeVisible();
  await expect(rexCard).toContainText('online');
  await expect(rexCard).toContainText('e2e-box');
  await expect(rexCard.getByRole('list', { name: 'Capabilities' })).toContainText(capability);
  await expect(rexCard.getByRole('progressbar', { name: 'Slots in use' })).toHaveAttribute('aria-valuenow', '0');

  const echo = await api<{ token: string }>(request, 'tokens.create', { agentId: echoId, preset: 'mobile', label: 'e2e dashboard' });
  await api(request, 'agents.register', { id: echoId, name: 'Echo', machine: 'iphone-12-pro', kind: 'mobile', capabilities: ['chat', 'summarize'], maxConcurrent: 1 }, echo.token);
  await expect(page.locator('article', { hasText: echoId })).toContainText('mobile');

  // Work assigned to Rex turns its card busy and fills a slot, still without a reload.
  const longTitle = `Summarise https://example.com/${'a-very-long-path-segment-'.repeat(6)}report.pdf`;
  const task = await api<{ id: string }>(request, 'tasks.create', { title: longTitle, prompt: 'Summarise the report.', requiredCapability: capability, assignTo: rexId });
  await expect(rexCard).toContainText('busy');
  await expect(rexCard.getByRole('progressbar', { name: 'Slots in use' })).toHaveAttribute('aria-valuenow', '1');
  await expect(summary.getByRole('group', { name: 'Active tasks' })).toContainText(/Active tasks\s*[1-9]/);

  const approval = await api<{ id: string }>(request, 'approvals.create', { action: 'deploy', description: 'Ship the report site' }, rex.token);
  await expect(summary.getByRole('group', { name: 'Pending approvals' })).toContainText('awaiting a decision');
  await api(request, 'costs.log', { model: 'e2e-local-model', inputTokens: 1200, outputTokens: 340, reportedCostUsd: 0.0123 }, rex.token);
  await expect(summary.getByRole('group', { name: 'Cost today' })).not.toContainText('$0.00');
  await expect(page.getByLabel('Hub health')).toContainText('database ok');
  await page.screenshot({ path: test.info().outputPath('dashboard-desktop.png'), fullPage: true });

  await page.setViewportSize(PHONE);
  await expect(rexCard).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: test.info().outputPath('dashboard-phone.png'), fullPage: true });

  // The logs page keeps the events the shell collected (client-side navigation, same stream).
  await navigateTo(page, 'Logs');
  await expect(page.getByRole('heading', { name: 'Logs', level: 1 })).toBeVisible();
  const log = page.getByRole('list', { name: 'Event log' });
  const rexOnline = log.locator('li[data-type="agent_online"]', { hasText: rexId });
  const echoOnline = log.locator('li[data-type="agent_online"]', { hasText: echoId });
  const taskCreated = log.locator('li[data-type="task_created"]', { hasText: task.id });
  await expect(rexOnline).toBeVisible();
  await expect(rexOnline).toHaveAttribute('data-tone', 'emerald');
  await expect(taskCreated).toHaveAttribute('data-tone', 'amber');
  await expect(log.locator('li[data-type="approval_created"]', { hasText: rexId })).toHaveAttribute('data-tone', 'purple');

  const typeFilter = page.getByLabel('Type', { exact: true });
  await typeFilter.selectOption({ label: 'Tasks (task_*)' });
  await expect(rexOnline).toHaveCount(0);
  await expect(taskCreated).toBeVisible();
  await typeFilter.selectOption({ label: 'agent_online' });
  await expect(rexOnline).toBeVisible();
  await expect(taskCreated).toHaveCount(0);

  const agentFilter = page.getByLabel('Agent', { exact: true });
  await agentFilter.selectOption(echoId);
  await expect(echoOnline).toBeVisible();
  await expect(rexOnline).toHaveCount(0);
  await agentFilter.selectOption('');
  await typeFilter.selectOption('');
  await expect(rexOnline).toBeVisible();

  // Pause freezes the list; what arrives meanwhile is counted and shown on resume.
  await page.getByRole('button', { name: 'Pause' }).click();
  await api(request, 'costs.log', { model: 'e2e-local-model', inputTokens: 10, outputTokens: 5, reportedCostUsd: 0.0005 }, echo.token);
  await expect(page.getByRole('button', { name: /^Resume \(\d+ new\)$/ })).toBeVisible();
  const echoCost = log.locator('li[data-type="cost_logged"]', { hasText: echoId });
  await expect(echoCost).toHaveCount(0);
  await page.getByRole('button', { name: /^Resume/ }).click();
  await expect(echoCost).toBeVisible();

  // A long payload wraps instead of widening the page.
  await taskCreated.locator('summary').click();
  await expect(taskCreated.locator('pre')).toContainText('a-very-long-path-segment-');
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: test.info().outputPath('logs-phone.png'), fullPage: true });

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: test.info().outputPath('logs-desktop.png'), fullPage: true });

  // Leave the shared hub tidy for the specs that follow.
  await api(request, 'approvals.reject', { approvalId: approval.id });
  await api(request, 'tasks.cancel', { taskId: task.id });
});

for (const [sizeName, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
  test(`the inbox approves in place with an undo window and says why a task cannot run (${sizeName})`, async ({ page, request }) => {
    const suffix = `${Date.now().toString(36)}${sizeName}`;
    const agentId = `e2e-inbox-${suffix}`;
    const absent = `e2e-absent-${suffix}`;
    await page.setViewportSize(size);
    await signIn(page);

    const worker = await api<{ token: string }>(request, 'tokens.create', { agentId, preset: 'worker', label: 'e2e inbox' });
    await api(request, 'agents.register', { id: agentId, name: 'Inboxer', machine: 'e2e-box', kind: 'desktop', capabilities: [`e2e-inbox-cap-${suffix}`], maxConcurrent: 1 }, worker.token);
    const deploy = await api<{ id: string }>(request, 'approvals.create', { action: `deploy ${suffix}`, description: 'Ship it to production.', timeoutSeconds: 600 }, worker.token);
    const purge = await api<{ id: string }>(request, 'approvals.create', { action: `purge ${suffix}`, description: 'Delete old builds.', timeoutSeconds: 600 }, worker.token);
    const title = `Render on a GPU ${suffix}`;
    const task = await api<{ id: string }>(request, 'tasks.create', { title, prompt: 'Render the frames.', requiredCapability: absent });

    const inbox = page.getByRole('region', { name: /Needs attention/ });
    await expect(inbox).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByTestId('inbox-badge')).toHaveText(/^[1-9]\d*\+?$/);
    const deployItem = inbox.getByRole('listitem', { name: `Approval deploy ${suffix}` });
    await expect(deployItem).toContainText('Ship it to production.');
    await expect(deployItem).toContainText(`@${agentId}`);
    const cannotRun = inbox.getByRole('group', { name: 'Cannot run' });
    const waiting = cannotRun.getByRole('listitem').filter({ hasText: title });
    await expect(waiting).toContainText(`no online agent offers \`${absent}\``);
    // The summary tiles lead to the filtered task list.
    await expect(page.getByRole('group', { name: 'Active tasks' }).getByRole('link')).toHaveAttribute('href', '/tasks?view=list&status=running');
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`inbox-${sizeName}.png`), fullPage: true });

    // Reject, then take it back within the undo window: nothing is sent.
    const purgeItem = inbox.getByRole('listitem', { name: `Approval purge ${suffix}` });
    await purgeItem.getByRole('button', { name: 'Reject' }).click();
    await expect(purgeItem.getByRole('status')).toContainText('Rejecting in');
    await purgeItem.getByRole('button', { name: 'Undo' }).click();
    await expect(purgeItem.getByRole('button', { name: 'Reject' })).toBeVisible();

    // Approve: the item counts down, then says approved in place, and the hub has it approved.
    await deployItem.getByRole('button', { name: 'Approve' }).click();
    await expect(deployItem.getByRole('status')).toContainText('Approving in');
    await page.screenshot({ path: test.info().outputPath(`inbox-undo-${sizeName}.png`), fullPage: false });
    await expect(deployItem.getByRole('status')).toHaveText('approved', { timeout: UNDO_WINDOW_MS + 5_000 });
    const approved = await apiQuery<{ id: string }[]>(request, 'approvals.list', { status: 'approved' });
    expect(approved.map((approval) => approval.id)).toContain(deploy.id);
    const pending = await apiQuery<{ id: string }[]>(request, 'approvals.list', { status: 'pending' });
    expect(pending.map((approval) => approval.id)).toContain(purge.id);

    // The waiting task's page says the same.
    await waiting.getByRole('link', { name: title }).click();
    await expect(page.getByTestId('wait-reason')).toContainText(`Why waiting: no online agent offers \`${absent}\``);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`task-why-waiting-${sizeName}.png`), fullPage: true });

    await api(request, 'approvals.reject', { approvalId: purge.id });
    await api(request, 'tasks.cancel', { taskId: task.id });
  });
}
