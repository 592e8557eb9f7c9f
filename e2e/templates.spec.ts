// Task templates in the dashboard: the seed templates as chips on the Tasks page; a tap opens the
// variable sheet, a missing variable is refused with the hub's message naming it, and Dispatch puts
// the rendered task on the board; the chips are in chat's composer too; all of it fits a phone.
import { expect, test } from '@playwright/test';
import { api, apiQuery, scrollsSideways, signIn, waitForLiveStream } from './helpers';

const PHONE = { width: 430, height: 932 };

interface Template {
  id: string;
  name: string;
}

test('template chip → variable sheet → task on the board', async ({ page, request }) => {
  await signIn(page);
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1_000)}`;
  const template = await api<Template>(request, 'templates.create', {
    name: `Brief ${suffix}`,
    description: 'A one-paragraph brief',
    promptTemplate: 'Write a one-paragraph brief on {subject}.',
    // No agent holds it: the task stays queued, out of other specs' workers' way.
    capability: `e2e-tpl-${suffix}`,
  });
  await page.goto('/tasks');
  await waitForLiveStream(page);
  const chips = page.getByRole('group', { name: 'Dispatch from a template' });
  for (const seed of ['Research', 'Summarize', 'QA', 'Code Review', 'Write']) await expect(chips.getByRole('button', { name: seed, exact: true })).toBeVisible();
  await chips.getByRole('button', { name: template.name }).click();

  const sheet = page.getByRole('dialog', { name: template.name });
  await expect(sheet).toBeVisible();
  await expect(sheet).toContainText('A one-paragraph brief');
  // Nothing filled in: the hub refuses, naming the variable, and creates nothing.
  await sheet.getByRole('button', { name: 'Dispatch' }).click();
  await expect(sheet.getByRole('alert')).toHaveText('variables.subject: missing: the template needs {subject}');
  expect((await apiQuery<{ tasks: unknown[] }>(request, 'tasks.list', { text: suffix, limit: 10 })).tasks).toHaveLength(0);

  const subject = `tidal energy ${suffix}`;
  await sheet.getByLabel('subject').fill(subject);
  await expect(sheet.getByLabel('Prompt preview')).toHaveText(`Write a one-paragraph brief on ${subject}.`);
  await page.screenshot({ path: test.info().outputPath('template-sheet-desktop.png') });
  await sheet.getByRole('button', { name: 'Dispatch' }).click();
  await expect(sheet).toBeHidden();
  const title = `${template.name}: ${subject}`;
  await expect(page.getByRole('status')).toHaveText(`Queued “${title}”`);
  await expect(page.getByRole('link', { name: `Task ${title}` })).toBeVisible();
  const listed = await apiQuery<{ tasks: { id: string; title: string }[] }>(request, 'tasks.list', { text: suffix, limit: 10 });
  expect(listed.tasks.map((task) => task.title)).toEqual([title]);
  const detail = await apiQuery<{ prompt: string }>(request, 'tasks.get', { taskId: listed.tasks[0]!.id });
  expect(detail.prompt).toBe(`Write a one-paragraph brief on ${subject}.`);
  await page.screenshot({ path: test.info().outputPath('template-board-desktop.png'), fullPage: true });

  // The chat composer has the same chips.
  await page.goto('/chat');
  await expect(page.getByRole('group', { name: 'Quick commands' }).getByRole('button', { name: 'Research', exact: true })).toBeVisible();

  // A phone: chips scroll inside their row, the sheet is a bottom sheet, nothing scrolls sideways.
  await page.setViewportSize(PHONE);
  await page.goto('/tasks');
  await waitForLiveStream(page);
  await page.getByRole('group', { name: 'Dispatch from a template' }).getByRole('button', { name: 'Research', exact: true }).click();
  const research = page.getByRole('dialog', { name: 'Research' });
  await expect(research.getByLabel('topic')).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
  const box = (await research.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: test.info().outputPath('template-sheet-phone.png') });
  await research.getByRole('button', { name: 'Close' }).click();
  await expect(research).toBeHidden();
  await api(request, 'templates.delete', { templateId: template.id });
});
