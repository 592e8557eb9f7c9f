// tasks.list as the Tasks page's list view uses it, over real HTTP against a real hub: sorting,
// several statuses, a time window, offset paging with a total, the 500-row limit refused by name;
// tasks.duplicate (a re-run: a new task, the original untouched, tasks:write required); and each
// attempt keeping its own error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import type { Clock } from '../../clock';
import { registerWorker, type TestWorker } from '../../../testing/mesh-fixtures';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../../testing/test-hub';

const START = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;

describe('tasks.list paging, sorting and filters', () => {
  let testHub: TestHub;
  let master: HubClient;
  let now = START;
  const clock: Clock = { now: () => new Date(now) };
  const ids: string[] = [];

  beforeAll(async () => {
    testHub = await startTestHub({ clock });
    master = testHub.client({ token: testHub.masterToken });
    // Twelve tasks an hour apart, priorities out of order, nobody to run them (they stay queued).
    for (let index = 0; index < 12; index += 1) {
      now = START + index * HOUR;
      const task = await master.tasks.create.mutate({
        title: `job ${String.fromCharCode(97 + ((index * 5) % 12))}`,
        prompt: 'wait',
        priority: (index * 7) % 10,
        requiredCapability: 'nobody-offers-this',
      });
      ids.push(task.id);
    }
    now = START + 12 * HOUR;
    await master.tasks.cancel.mutate({ taskId: ids[0]! });
    await master.tasks.cancel.mutate({ taskId: ids[1]! });
  });

  afterAll(async () => {
    await testHub.destroy();
  });

  it('sorts by priority, title or creation, both ways, with id breaking ties', async () => {
    const byPriority = await master.tasks.list.query({ sort: 'priority', order: 'desc', limit: 500 });
    const priorities = byPriority.tasks.map((task) => task.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const byTitle = await master.tasks.list.query({ sort: 'title', order: 'asc', limit: 500 });
    const titles = byTitle.tasks.map((task) => task.title);
    expect(titles).toEqual([...titles].sort());
    const oldestFirst = await master.tasks.list.query({ sort: 'createdAt', order: 'asc', limit: 3 });
    expect(oldestFirst.tasks.map((task) => task.id)).toEqual(ids.slice(0, 3));
  });

  it('pages by offset with a total, and the pages neither overlap nor skip', async () => {
    const seen: string[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const page: Awaited<ReturnType<typeof master.tasks.list.query>> = await master.tasks.list.query({ sort: 'priority', order: 'asc', limit: 5, offset, withTotal: true });
      expect(page.total).toBe(12);
      seen.push(...page.tasks.map((task) => task.id));
      offset = page.nextOffset;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(12);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('filters by several statuses and by a time window over creation or last change', async () => {
    const ended = await master.tasks.list.query({ status: ['cancelled', 'failed'], withTotal: true });
    expect(ended.tasks.map((task) => task.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(ended.total).toBe(2);

    // Created from hour 3 (inclusive) to hour 6 (exclusive): tasks 3, 4 and 5.
    const window = await master.tasks.list.query({
      timeField: 'createdAt',
      since: new Date(START + 3 * HOUR).toISOString(),
      until: new Date(START + 6 * HOUR).toISOString(),
      sort: 'createdAt',
      order: 'asc',
    });
    expect(window.tasks.map((task) => task.id)).toEqual(ids.slice(3, 6));

    // Changed in the last hour: only the two cancelled at hour 12 (the default time field).
    const recent = await master.tasks.list.query({ since: new Date(START + 11.5 * HOUR).toISOString() });
    expect(recent.tasks.map((task) => task.id).sort()).toEqual([ids[0], ids[1]].sort());

    const byIds = await master.tasks.list.query({ ids: [ids[4]!, ids[7]!, 'no-such-task'] });
    expect(byIds.tasks.map((task) => task.id).sort()).toEqual([ids[4], ids[7]].sort());
  });

  it('keeps newest-first cursor paging, and refuses bad paging input by field and limit', async () => {
    const first = await master.tasks.list.query({ limit: 5 });
    expect(first.tasks.map((task) => task.id)).toEqual([...ids].reverse().slice(0, 5));
    const second = await master.tasks.list.query({ limit: 5, cursor: first.nextCursor! });
    expect(second.tasks.map((task) => task.id)).toEqual([...ids].reverse().slice(5, 10));

    const headers = { Authorization: `Bearer ${testHub.masterToken}` };
    const tooMany = await rawCall(testHub.url, 'tasks.list', { type: 'query', input: { limit: 501 }, headers });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('limit');
    expect(JSON.stringify(tooMany.body)).toContain('500');
    const cursorWithSort = await rawCall(testHub.url, 'tasks.list', { type: 'query', input: { cursor: ids[3], sort: 'priority' }, headers });
    expect(cursorWithSort.status).toBe(400);
    expect(JSON.stringify(cursorWithSort.body)).toContain('cursor');
    const backwards = await rawCall(testHub.url, 'tasks.list', {
      type: 'query',
      input: { since: new Date(START + 5 * HOUR).toISOString(), until: new Date(START + 2 * HOUR).toISOString() },
      headers,
    });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('until');
  });
});

describe('tasks.duplicate and attempt errors', () => {
  let testHub: TestHub;
  let master: HubClient;
  let worker: TestWorker;

  beforeAll(async () => {
    testHub = await startTestHub({ env: { MESH_MAX_ATTEMPTS: '2' } });
    master = testHub.client({ token: testHub.masterToken });
    worker = await registerWorker(testHub, { id: 'rerun-worker', capabilities: ['rerun'], maxConcurrent: 1 });
  });

  afterAll(async () => {
    await testHub.destroy();
  });

  async function failOnce(taskId: string, error: string): Promise<void> {
    await testHub.hub.dispatcher.settled();
    const [claimed] = await worker.client.tasks.claim.mutate({});
    expect(claimed?.taskId).toBe(taskId);
    await worker.client.tasks.report.mutate({ taskId, attemptId: claimed!.attemptId, status: 'failed', error, idempotencyKey: `fail-${claimed!.attemptId}` });
  }

  it('keeps each attempt’s own error, not only the last one', async () => {
    const task = await master.tasks.create.mutate({ title: 'flaky', prompt: 'try it', requiredCapability: 'rerun' });
    await failOnce(task.id, 'first: disk full');
    await failOnce(task.id, 'second: timeout');
    const detail = await master.tasks.get.query({ taskId: task.id });
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe('second: timeout');
    expect(detail.attemptHistory.map((attempt) => [attempt.number, attempt.status, attempt.error])).toEqual([
      [1, 'failed', 'first: disk full'],
      [2, 'failed', 'second: timeout'],
    ]);
  });

  it('re-runs a task as a new one with the same fields and leaves the original untouched', async () => {
    const deadline = new Date(Date.now() + 24 * HOUR).toISOString();
    const original = await master.tasks.create.mutate({
      title: 'report on the mesh',
      prompt: 'write the report',
      priority: 77,
      requiredCapability: 'nobody-offers-this',
      assignTo: 'rerun-worker',
      deadline,
      model: 'claude-test',
    });
    await master.tasks.cancel.mutate({ taskId: original.id });
    const before = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: original.id } });

    const copy = await master.tasks.duplicate.mutate({ taskId: original.id });
    expect(copy.id).not.toBe(original.id);
    const row = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: copy.id } });
    expect(row).toMatchObject({
      title: 'report on the mesh',
      prompt: 'write the report',
      priority: 77,
      requiredCapability: 'nobody-offers-this',
      assignTo: 'rerun-worker',
      model: 'claude-test',
      status: 'queued',
      attempts: 0,
    });
    expect(row.deadline?.toISOString()).toBe(new Date(deadline).toISOString());
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: original.id } })).toEqual(before);
  });

  it('needs tasks:write, and answers not found for an unknown task, creating nothing', async () => {
    const original = await master.tasks.create.mutate({ title: 'viewer cannot copy', prompt: 'x', requiredCapability: 'nobody-offers-this' });
    await master.users.create.mutate({ username: 'rerun-viewer', role: 'viewer', password: 'rerun-viewer-password' });
    const cookie = await loginCookie(testHub.url, { username: 'rerun-viewer', password: 'rerun-viewer-password' });
    const countBefore = await testHub.hub.db.task.count();
    const refused = await rawCall(testHub.url, 'tasks.duplicate', { type: 'mutation', input: { taskId: original.id }, headers: { Cookie: cookie, Origin: testHub.url } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('tasks:write');
    const missing = await rawCall(testHub.url, 'tasks.duplicate', {
      type: 'mutation',
      input: { taskId: 'no-such-task' },
      headers: { Authorization: `Bearer ${testHub.masterToken}` },
    });
    expect(missing.status).toBe(404);
    expect(await testHub.hub.db.task.count()).toBe(countBefore);
  });
});
