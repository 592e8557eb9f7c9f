// The REST door over real HTTP: every path of REST_ROUTES called with a bearer token or a cookie
// session, what it changes checked in the database, permission and error paths (401, 403,
// CSRF, 400 naming the field and limit, 404, 405, 415) — for the task engine, and per domain
// for memory, pipelines, templates, plugins, task links, the inbox and the event log — then the
// OpenAPI document validated and checked to list every path, and the docs page served from the
// hub's own origin.
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCookie, makeTempDir, startTestHub, type TestHub } from '../../testing/test-hub';
import { REST_ROUTES } from './routes';

let testHub: TestHub;
let masterToken: string;
let workerToken: string;
let adminCookie: string;
let viewerCookie: string;
/** A token with an empty permission list: no access at all. */
let emptyToken: string;
/** file_summary's root, so a plugin tool can be invoked over REST. */
let filesRoot: string;
const called = new Set<string>();

beforeAll(async () => {
  filesRoot = makeTempDir('m3shd-rest-files-');
  fs.writeFileSync(path.join(filesRoot, 'plan.md'), '# Plan\n\nShip on Friday.\n');
  testHub = await startTestHub({ env: { MESH_FILES_ROOT: filesRoot } });
  masterToken = testHub.masterToken;
  const master = testHub.client({ token: masterToken });
  workerToken = (await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' })).token;
  adminCookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
  await master.users.create.mutate({ username: 'rest-viewer', role: 'viewer', password: 'rest-viewer-password' });
  viewerCookie = await loginCookie(testHub.url, { username: 'rest-viewer', password: 'rest-viewer-password' });
  emptyToken = (await master.tokens.create.mutate({ agentId: 'nobody', permissions: [] })).token;
});

afterAll(async () => {
  await testHub.destroy();
  fs.rmSync(filesRoot, { recursive: true, force: true });
});

interface CallOptions {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  token?: string;
  cookie?: string;
  /** Cookie-authenticated changes need the hub's own Origin; default: sent with a cookie. */
  origin?: string | null;
  contentType?: string;
  rawBody?: string;
}

/** Calls a route by its template (recorded, so the last test can check every route was called). */
async function rest(method: string, template: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  called.add(`${method} ${template}`);
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) {
    headers.Cookie = options.cookie;
    if (options.origin !== null) headers.Origin = options.origin ?? testHub.url;
  }
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody) headers['Content-Type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${testHub.url}${path}${options.query ? `?${options.query}` : ''}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

describe('REST at the spec’s paths', () => {
  it('refuses the unauthenticated (401), the unpermitted (403) and a cookie change from another origin (403)', async () => {
    const anonymous = await rest('GET', '/api/tasks');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('authentication required') } });
    expect((await rest('GET', '/api/tasks', { token: 'not-a-real-token' })).body.error).toEqual({ code: 'UNAUTHORIZED', message: 'invalid or revoked token' });

    const viewerCreate = await rest('POST', '/api/tasks', { cookie: viewerCookie, body: { title: 't', prompt: 'p' } });
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission tasks:write' });
    const crossOrigin = await rest('POST', '/api/tasks', { cookie: adminCookie, origin: 'https://evil.example', body: { title: 't', prompt: 'p' } });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.body.error.message).toContain('cross-origin');
    const workerUsers = await rest('GET', '/api/admin/users', { token: workerToken });
    expect(workerUsers.status).toBe(403);
    expect(await testHub.hub.db.task.count()).toBe(0);
  });

  it('runs a task’s whole life: create, register, heartbeat, claim, stream, report, read, list', async () => {
    const registered = await rest('POST', '/api/agents/{id}/register', { token: workerToken, params: { id: 'rex' }, body: { name: 'Rex', capabilities: ['research'], maxConcurrent: 2 } });
    expect(registered.status).toBe(200);
    expect(await testHub.hub.db.agent.findUniqueOrThrow({ where: { id: 'rex' } })).toMatchObject({ name: 'Rex', status: 'online' });
    const beat = await rest('POST', '/api/agents/{id}/heartbeat', { token: workerToken, params: { id: 'rex' }, body: { loadAverage: 0.5 } });
    expect(beat.status).toBe(200);
    // An agent token acts for its own agent only.
    expect((await rest('POST', '/api/agents/{id}/heartbeat', { token: workerToken, params: { id: 'archon' }, body: {} })).status).toBe(403);

    const created = await rest('POST', '/api/tasks', { token: masterToken, body: { title: 'rest task', prompt: 'upper-case me', requiredCapability: 'research' } });
    expect(created.status).toBe(201);
    const taskId = created.body.id as string;
    await testHub.hub.dispatcher.settled();
    const claimed = await rest('POST', '/api/tasks/claim', { token: workerToken, body: { limit: 4 } });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toEqual([expect.objectContaining({ taskId, attemptId: expect.any(String), prompt: 'upper-case me' })]);
    const attemptId = claimed.body[0].attemptId as string;

    const chunk = await rest('POST', '/api/tasks/{id}/stream', { token: workerToken, params: { id: taskId }, body: { attemptId, content: 'UPPER-' } });
    expect(chunk.status).toBe(200);
    const chunks = await rest('GET', '/api/tasks/{id}/stream', { token: masterToken, params: { id: taskId }, query: 'limit=10' });
    expect(chunks.body.chunks.map((row: { content: string }) => row.content)).toEqual(['UPPER-']);

    // A worker's report needs its lease and an idempotency key: the error names the field.
    const noKey = await rest('PUT', '/api/tasks/{id}', { token: workerToken, params: { id: taskId }, body: { attemptId, status: 'done', output: 'UPPER-CASE ME' } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'idempotencyKey' });
    const report = { attemptId, status: 'done', output: 'UPPER-CASE ME', idempotencyKey: `rest-${attemptId}` };
    const reported = await rest('PUT', '/api/tasks/{id}', { token: workerToken, params: { id: taskId }, body: report });
    expect(reported.status).toBe(200);
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'done', output: 'UPPER-CASE ME' });
    // Resent: the same answer, nothing changed.
    expect((await rest('PUT', '/api/tasks/{id}', { token: workerToken, params: { id: taskId }, body: report })).status).toBe(200);
    expect(await testHub.hub.db.taskAttempt.count({ where: { taskId } })).toBe(1);

    const fetched = await rest('GET', '/api/tasks/{id}', { cookie: viewerCookie, params: { id: taskId } });
    expect(fetched.body).toMatchObject({ id: taskId, status: 'done', output: 'UPPER-CASE ME' });
    const listed = await rest('GET', '/api/tasks', { token: masterToken, query: 'status=done&limit=10' });
    expect(listed.body.tasks.map((task: { id: string }) => task.id)).toEqual([taskId]);
    const missing = await rest('GET', '/api/tasks/{id}', { token: masterToken, params: { id: 'no-such-task' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('caps list queries at 500 rows and names the field and limit of bad input', async () => {
    const tooMany = await rest('GET', '/api/tasks', { token: masterToken, query: 'limit=501' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'limit' });
    const notNumber = await rest('GET', '/api/messages', { token: masterToken, query: 'limit=lots' });
    expect(notNumber.status).toBe(400);
    expect(notNumber.body.error.field).toBe('limit');
    const bigMessage = await rest('POST', '/api/messages', { token: masterToken, body: { content: 'x'.repeat(51 * 1024) } });
    expect(bigMessage.status).toBe(400);
    expect(bigMessage.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'content', limit: 'messageBytes' });
    expect(await testHub.hub.db.message.count()).toBe(0);
    const notJson = await rest('POST', '/api/messages', { token: masterToken, rawBody: '{"content": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'body' });
    const form = await rest('POST', '/api/messages', { token: masterToken, rawBody: 'content=hi', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const wrongMethod = await fetch(`${testHub.url}/api/messages`, { method: 'DELETE', headers: { Authorization: `Bearer ${masterToken}` } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
    const unknown = await fetch(`${testHub.url}/api/no-such-thing`, { headers: { Authorization: `Bearer ${masterToken}` } });
    expect(unknown.status).toBe(404);
  });

  it('hands a task off and cancels and retries another', async () => {
    const created = await rest('POST', '/api/tasks', { token: masterToken, body: { title: 'to hand off', prompt: 'long work', requiredCapability: 'research' } });
    await testHub.hub.dispatcher.settled();
    const [claimed] = (await rest('POST', '/api/tasks/claim', { token: workerToken, body: {} })).body;
    const handoff = await rest('POST', '/api/tasks/{id}/handoff', { token: workerToken, params: { id: created.body.id }, body: { attemptId: claimed.attemptId, partialOutput: 'half done', idempotencyKey: `handoff-${claimed.attemptId}` } });
    expect(handoff.status).toBe(201);
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: created.body.id } })).toMatchObject({ status: 'suspended' });
    expect(await testHub.hub.db.task.count({ where: { continuesTaskId: created.body.id } })).toBe(1);

    const orphan = await rest('POST', '/api/tasks', { cookie: adminCookie, body: { title: 'nobody can', prompt: 'p', requiredCapability: 'no-such-skill' } });
    expect(orphan.status).toBe(201);
    const cancelled = await rest('POST', '/api/tasks/{id}/cancel', { token: masterToken, params: { id: orphan.body.id }, body: {} });
    expect(cancelled.status).toBe(200);
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: orphan.body.id } })).status).toBe('cancelled');
    const retried = await rest('POST', '/api/tasks/{id}/retry', { token: masterToken, params: { id: orphan.body.id }, body: {} });
    expect(retried.status).toBe(200);
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: orphan.body.id } })).status).toBe('queued');
  });

  it('lists and reads agents', async () => {
    const agents = await rest('GET', '/api/agents', { cookie: viewerCookie });
    expect(agents.body.map((agent: { id: string }) => agent.id)).toContain('rex');
    expect((await rest('GET', '/api/agents/{id}', { token: workerToken, params: { id: 'rex' } })).body).toMatchObject({ id: 'rex', name: 'Rex' });
  });

  it('posts and lists messages, and sets, reads and deletes context', async () => {
    const posted = await rest('POST', '/api/messages', { cookie: adminCookie, body: { content: 'hello over REST', channel: 'ops' } });
    expect(posted.status).toBe(201);
    expect(await testHub.hub.db.message.count({ where: { channel: 'ops', content: 'hello over REST' } })).toBe(1);
    const listed = await rest('GET', '/api/messages', { token: masterToken, query: 'channel=ops&limit=5' });
    expect(listed.body.messages.map((message: { content: string }) => message.content)).toEqual(['hello over REST']);

    expect((await rest('PUT', '/api/context/{key}', { token: masterToken, params: { key: 'deploy.window' }, body: { value: 'friday' } })).status).toBe(200);
    expect(await testHub.hub.db.contextEntry.findUniqueOrThrow({ where: { key: 'deploy.window' } })).toMatchObject({ value: 'friday' });
    expect((await rest('GET', '/api/context/{key}', { cookie: viewerCookie, params: { key: 'deploy.window' } })).body).toMatchObject({ key: 'deploy.window', value: 'friday' });
    expect((await rest('GET', '/api/context', { token: masterToken })).body.map((entry: { key: string }) => entry.key)).toEqual(['deploy.window']);
    expect((await rest('DELETE', '/api/context/{key}', { token: masterToken, params: { key: 'deploy.window' } })).status).toBe(200);
    expect(await testHub.hub.db.contextEntry.count()).toBe(0);
    expect((await rest('GET', '/api/context/{key}', { token: masterToken, params: { key: 'deploy.window' } })).status).toBe(404);
  });

  it('asks for and decides approvals, and acknowledges and resolves escalations', async () => {
    const asked = await rest('POST', '/api/approvals', { token: workerToken, body: { action: 'deploy', description: 'ship it' } });
    expect(asked.status).toBe(201);
    const pending = await rest('GET', '/api/approvals', { token: masterToken, query: 'status=pending' });
    expect(pending.body.map((approval: { id: string }) => approval.id)).toEqual([asked.body.id]);
    const bad = await rest('PUT', '/api/approvals/{id}', { cookie: adminCookie, params: { id: asked.body.id }, body: { decision: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'decision', message: 'decision: must be one of approve, reject' });
    const approved = await rest('PUT', '/api/approvals/{id}', { cookie: adminCookie, params: { id: asked.body.id }, body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: asked.body.id } })).status).toBe('approved');

    const escalation = await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: null, reason: 'stuck on a captcha' });
    const open = await rest('GET', '/api/escalations', { token: masterToken });
    expect(open.body.map((item: { id: string }) => item.id)).toContain(escalation.id);
    expect((await rest('PUT', '/api/escalations/{id}', { token: masterToken, params: { id: escalation.id }, body: { action: 'acknowledge' } })).status).toBe(200);
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('acknowledged');
    expect((await rest('PUT', '/api/escalations/{id}', { token: masterToken, params: { id: escalation.id }, body: { action: 'resolve' } })).status).toBe(200);
    expect((await testHub.hub.db.escalation.findUniqueOrThrow({ where: { id: escalation.id } })).status).toBe('resolved');
  });

  it('manages API keys and webhooks as an admin; a key works on REST within its permissions until revoked', async () => {
    const created = await rest('POST', '/api/admin/keys', { cookie: adminCookie, body: { name: 'grafana', permissions: ['tasks:read'], rateLimitPerMinute: 100, dailyCap: 1000 } });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^m3shd_key_/);
    const keyId: string = created.body.view.id;
    // The key itself is stored as a hash only, and never listed.
    const listed = await rest('GET', '/api/admin/keys', { token: masterToken });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.map((item: { id: string }) => item.id)).toContain(keyId);

    expect((await rest('GET', '/api/tasks', { token: key })).status).toBe(200);
    const refused = await rest('POST', '/api/tasks', { token: key, body: { title: 'from a key', prompt: 'no' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(await testHub.hub.db.task.count({ where: { title: 'from a key' } })).toBe(0);
    const badKey = await rest('POST', '/api/admin/keys', { token: masterToken, body: { name: 'x', permissions: ['no:such'] } });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.field).toMatch(/^permissions/);
    expect((await rest('GET', '/api/admin/keys', { token: workerToken })).status).toBe(403);

    expect((await rest('DELETE', '/api/admin/keys/{id}', { token: masterToken, params: { id: keyId } })).status).toBe(200);
    expect((await rest('GET', '/api/tasks', { token: key })).status).toBe(401);

    const hook = await rest('POST', '/api/admin/webhooks', { cookie: adminCookie, body: { name: 'kuma', action: { kind: 'chat', channel: 'ops' } } });
    expect(hook.status).toBe(201);
    const webhookId: string = hook.body.view.id;
    const secret: string = hook.body.secret;
    expect(secret).toEqual(expect.any(String));
    const hooks = await rest('GET', '/api/admin/webhooks', { token: masterToken });
    expect(hooks.body.map((item: { id: string }) => item.id)).toContain(webhookId);
    expect(JSON.stringify(hooks.body)).not.toContain(secret);
    const delivered = await fetch(`${testHub.url}/api/webhooks/${webhookId}`, { method: 'POST', headers: { 'X-Webhook-Secret': secret, 'Content-Type': 'application/json' }, body: JSON.stringify({ event: 'ping', message: 'hello from REST' }) });
    expect(delivered.status).toBeLessThan(300);
    const deliveries = await rest('GET', '/api/admin/webhooks/{id}/deliveries', { token: masterToken, params: { id: webhookId } });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body[0]).toMatchObject({ outcome: 'accepted' });
    const badHook = await rest('POST', '/api/admin/webhooks', { token: masterToken, body: { name: 'x', action: { kind: 'sms' } } });
    expect(badHook.status).toBe(400);
    expect((await rest('DELETE', '/api/admin/webhooks/{id}', { token: masterToken, params: { id: webhookId } })).status).toBe(200);
    expect(await testHub.hub.db.webhook.count({ where: { id: webhookId } })).toBe(0);
  });

  it('manages users and reads analytics as an admin', async () => {
    const created = await rest('POST', '/api/admin/users', { cookie: adminCookie, body: { username: 'rest-made', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body.password).toEqual(expect.any(String));
    const userId = created.body.user?.id ?? created.body.id;
    expect((await rest('GET', '/api/admin/users', { token: masterToken })).body.map((user: { username: string }) => user.username)).toContain('rest-made');
    expect((await rest('PUT', '/api/admin/users/{id}', { cookie: adminCookie, params: { id: userId }, body: { role: 'user' } })).status).toBe(200);
    expect((await testHub.hub.db.user.findUniqueOrThrow({ where: { id: userId } })).role).toBe('user');
    expect((await rest('PUT', '/api/admin/users/{id}', { token: masterToken, params: { id: userId }, body: { disabled: true } })).status).toBe(200);
    expect((await testHub.hub.db.user.findUniqueOrThrow({ where: { id: userId } })).disabled).toBe(true);
    const neither = await rest('PUT', '/api/admin/users/{id}', { token: masterToken, params: { id: userId }, body: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.error.message).toBe('body: must contain role or disabled');
    const reset = await rest('POST', '/api/admin/users/{id}/reset-password', { token: masterToken, params: { id: userId }, body: {} });
    expect(reset.status).toBe(200);

    for (const report of ['tasks', 'costs', 'agents', 'summary']) {
      const answer = await rest('GET', `/api/admin/analytics/${report}`, { cookie: adminCookie, query: 'days=3' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(expect.any(Object));
    }
    const badDays = await rest('GET', '/api/admin/analytics/summary', { token: masterToken, query: 'days=abc' });
    expect(badDays.status).toBe(400);
    expect(badDays.body.error.field).toBe('days');
    expect((await rest('GET', '/api/admin/analytics/tasks', { cookie: viewerCookie })).status).toBe(403);
  });

  it('stores, lists, searches, consolidates and deletes an agent’s memory', async () => {
    // A worker token works on its own agent's memory (source "agent"); the admin's entry is the operator's.
    const stored = await rest('POST', '/api/agents/{id}/memory', { token: workerToken, params: { id: 'rex' }, body: { key: 'deploy.day', value: 'Friday after the review', confidence: 0.9 } });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ agentId: 'rex', key: 'deploy.day', source: 'agent', created: true });
    const contradiction = await rest('POST', '/api/agents/{id}/memory', { cookie: adminCookie, params: { id: 'rex' }, body: { key: 'Deploy-Day', value: 'Monday', confidence: 0.4 } });
    expect(contradiction.status).toBe(201);
    expect(contradiction.body.source).toBe('operator');
    expect(await testHub.hub.db.agentMemory.count({ where: { agentId: 'rex' } })).toBe(2);

    const listed = await rest('GET', '/api/agents/{id}/memory', { cookie: viewerCookie, params: { id: 'rex' }, query: 'limit=10' });
    expect(listed.status).toBe(200);
    expect(listed.body.map((entry: { key: string }) => entry.key).sort()).toEqual(['Deploy-Day', 'deploy.day']);
    const found = await rest('GET', '/api/agents/{id}/memory/search', { token: workerToken, params: { id: 'rex' }, query: 'query=review&limit=5' });
    expect(found.status).toBe(200);
    expect(found.body).toEqual([expect.objectContaining({ key: 'deploy.day', value: 'Friday after the review', score: expect.any(Number) })]);

    // Consolidation rewrites every agent's memory: the worker may not run it; an operator may.
    const workerRun = await rest('POST', '/api/memory/consolidate', { token: workerToken, body: {} });
    expect(workerRun.status).toBe(403);
    expect(workerRun.body.error).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining('consolidation rewrites every agent’s memory') });
    const run = await rest('POST', '/api/memory/consolidate', { cookie: adminCookie, body: {} });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ runId: expect.any(String), resolved: 1 });
    expect((await rest('GET', '/api/agents/{id}/memory', { token: masterToken, params: { id: 'rex' } })).body.map((entry: { key: string }) => entry.key)).toEqual(['deploy.day']);
    const agentLog = await rest('GET', '/api/agents/{id}/memory/consolidations', { token: workerToken, params: { id: 'rex' } });
    expect(agentLog.body).toEqual([expect.objectContaining({ runId: run.body.runId, agentId: 'rex', action: 'resolved_contradiction', keptKey: 'deploy.day', replaced: [expect.objectContaining({ key: 'Deploy-Day', value: 'Monday' })] })]);
    const meshLog = await rest('GET', '/api/memory/consolidations', { cookie: viewerCookie, query: 'limit=5' });
    expect(meshLog.body.map((change: { runId: string }) => change.runId)).toEqual([run.body.runId]);

    const deleted = await rest('DELETE', '/api/agents/{id}/memory', { token: workerToken, params: { id: 'rex' }, query: 'key=deploy.day' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ agentId: 'rex', key: 'deploy.day', deleted: true });
    expect(await testHub.hub.db.agentMemory.count({ where: { agentId: 'rex' } })).toBe(0);
    expect((await rest('DELETE', '/api/agents/{id}/memory', { token: workerToken, params: { id: 'rex' }, query: 'key=deploy.day' })).status).toBe(404);

    // Refusals: a viewer may not write; a worker may not read another agent's memory; a bad key names the field.
    const viewerStore = await rest('POST', '/api/agents/{id}/memory', { cookie: viewerCookie, params: { id: 'rex' }, body: { key: 'k', value: 'v' } });
    expect(viewerStore.status).toBe(403);
    expect(viewerStore.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission memory:write' });
    expect((await rest('GET', '/api/agents/{id}/memory', { token: workerToken, params: { id: 'archon' } })).status).toBe(403);
    const badKey = await rest('POST', '/api/agents/{id}/memory', { token: masterToken, params: { id: 'rex' }, body: { key: 'has spaces', value: 'v' } });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('key'), field: 'key' });
    const bigValue = await rest('POST', '/api/agents/{id}/memory', { token: masterToken, params: { id: 'rex' }, body: { key: 'big', value: 'x'.repeat(64 * 1024) } });
    expect(bigValue.status).toBe(400);
    expect(bigValue.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'value', limit: 'memoryValueBytes' });
    expect(await testHub.hub.db.agentMemory.count()).toBe(0);
  });

  it('creates, lists and reads a pipeline, and follows its steps’ links', async () => {
    const before = await testHub.hub.db.task.count();
    const created = await rest('POST', '/api/pipelines', {
      cookie: adminCookie,
      body: { name: 'research then write', steps: [{ title: 'research', prompt: 'find facts', requiredCapability: 'no-such-skill' }, { title: 'write', prompt: 'write it up', requiredCapability: 'no-such-skill' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ pipelineId: expect.any(String), taskIds: [expect.any(String), expect.any(String)] });
    const { pipelineId, taskIds } = created.body as { pipelineId: string; taskIds: string[] };
    expect(await testHub.hub.db.task.count()).toBe(before + 2);
    expect(await testHub.hub.db.taskDep.count({ where: { childTaskId: taskIds[1], parentTaskId: taskIds[0] } })).toBe(1);

    const fetched = await rest('GET', '/api/pipelines/{id}', { cookie: viewerCookie, params: { id: pipelineId } });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: pipelineId, name: 'research then write' });
    expect(fetched.body.steps).toHaveLength(2);
    const listed = await rest('GET', '/api/pipelines', { token: masterToken, query: 'limit=10' });
    expect(listed.body.pipelines.map((pipeline: { id: string }) => pipeline.id)).toEqual([pipelineId]);
    expect((await rest('GET', '/api/pipelines/{id}', { token: masterToken, params: { id: 'no-such-pipeline' } })).status).toBe(404);

    const links = await rest('GET', '/api/tasks/{id}/links', { token: masterToken, params: { id: taskIds[1]! } });
    expect(links.status).toBe(200);
    expect(links.body.parents.map((task: { id: string }) => task.id)).toEqual([taskIds[0]]);
    expect(links.body.pipeline).toMatchObject({ id: pipelineId, position: expect.any(Number), steps: 2 });

    const viewerCreate = await rest('POST', '/api/pipelines', { cookie: viewerCookie, body: { name: 'no', steps: [] } });
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission tasks:write' });
    const oneStep = await rest('POST', '/api/pipelines', { token: masterToken, body: { name: 'short', steps: [{ title: 'only', prompt: 'p' }] } });
    expect(oneStep.status).toBe(400);
    expect(oneStep.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('at least 2 steps'), field: 'steps' });
    const pastLimit = await rest('GET', '/api/pipelines', { token: masterToken, query: 'limit=501' });
    expect(pastLimit.status).toBe(400);
    expect(pastLimit.body.error.field).toBe('limit');
    expect(await testHub.hub.db.pipeline.count()).toBe(1);
  });

  it('manages templates and dispatches one with variables', async () => {
    const created = await rest('POST', '/api/templates', { cookie: adminCookie, body: { name: 'REST brief', promptTemplate: 'Write a brief about {topic}.', capability: 'no-such-skill' } });
    expect(created.status).toBe(201);
    const templateId = created.body.id as string;
    expect(await testHub.hub.db.taskTemplate.findUniqueOrThrow({ where: { id: templateId } })).toMatchObject({ name: 'REST brief' });
    expect((await rest('GET', '/api/templates', { cookie: viewerCookie })).body.map((template: { id: string }) => template.id)).toContain(templateId);
    expect((await rest('GET', '/api/templates/{id}', { token: workerToken, params: { id: templateId } })).body).toMatchObject({ id: templateId, name: 'REST brief' });
    const updated = await rest('PUT', '/api/templates/{id}', { token: masterToken, params: { id: templateId }, body: { priority: 80 } });
    expect(updated.status).toBe(200);
    expect((await testHub.hub.db.taskTemplate.findUniqueOrThrow({ where: { id: templateId } })).priority).toBe(80);

    const dispatched = await rest('POST', '/api/templates/{id}/dispatch', { token: masterToken, params: { id: templateId }, body: { variables: { topic: 'tide pools' } } });
    expect(dispatched.status).toBe(201);
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: dispatched.body.task.id } });
    expect(task).toMatchObject({ prompt: 'Write a brief about tide pools.', priority: 80, requiredCapability: 'no-such-skill' });

    // Refusals: a viewer may not create; a variable the template lacks names the field; nothing was made.
    const tasksBefore = await testHub.hub.db.task.count();
    const viewerCreate = await rest('POST', '/api/templates', { cookie: viewerCookie, body: { name: 'no', promptTemplate: 'p' } });
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission tasks:write' });
    const missingVariable = await rest('POST', '/api/templates/{id}/dispatch', { token: masterToken, params: { id: templateId }, body: { variables: {} } });
    expect(missingVariable.status).toBe(400);
    expect(missingVariable.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('{topic}'), field: 'variables.topic' });
    const bigPrompt = await rest('POST', '/api/templates', { token: masterToken, body: { name: 'huge', promptTemplate: 'x'.repeat(9 * 1024) } });
    expect(bigPrompt.status).toBe(400);
    expect(bigPrompt.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'promptTemplate', limit: 'promptBytes' });
    expect(await testHub.hub.db.task.count()).toBe(tasksBefore);
    expect(await testHub.hub.db.taskTemplate.count({ where: { name: 'huge' } })).toBe(0);

    expect((await rest('DELETE', '/api/templates/{id}', { cookie: adminCookie, params: { id: templateId } })).status).toBe(200);
    expect(await testHub.hub.db.taskTemplate.count({ where: { id: templateId } })).toBe(0);
    expect((await rest('GET', '/api/templates/{id}', { token: masterToken, params: { id: templateId } })).status).toBe(404);
  });

  it('lists plugins, invokes a tool and disables and enables a plugin', async () => {
    const plugins = await rest('GET', '/api/plugins', { cookie: viewerCookie });
    expect(plugins.status).toBe(200);
    expect(plugins.body.find((plugin: { name: string }) => plugin.name === 'file_summary')).toMatchObject({ status: 'active', enabled: true });

    const invoked = await rest('POST', '/api/plugins/{tool}/invoke', { token: workerToken, params: { tool: 'file_summary' }, body: { args: { path: 'plan.md' } } });
    expect(invoked.status).toBe(200);
    expect(invoked.body).toMatchObject({ tool: 'file_summary', plugin: 'file_summary', data: { path: 'plan.md', lines: 3 } });
    expect(JSON.stringify(invoked.body)).not.toContain(filesRoot);
    expect((await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'file_summary' } })).invocations).toBe(1);

    // Refusals: a worker may not switch plugins; a bad body names the field; an unknown tool is 404.
    const workerSwitch = await rest('PUT', '/api/plugins/{name}', { token: workerToken, params: { name: 'file_summary' }, body: { enabled: false } });
    expect(workerSwitch.status).toBe(403);
    expect(workerSwitch.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission admin:plugins' });
    const notBoolean = await rest('PUT', '/api/plugins/{name}', { token: masterToken, params: { name: 'file_summary' }, body: { enabled: 'no' } });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('enabled'), field: 'enabled' });
    expect((await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'file_summary' } })).enabled).toBe(true);
    expect((await rest('POST', '/api/plugins/{tool}/invoke', { token: workerToken, params: { tool: 'no_such_tool' }, body: {} })).status).toBe(404);

    const disabled = await rest('PUT', '/api/plugins/{name}', { cookie: adminCookie, params: { name: 'file_summary' }, body: { enabled: false } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ name: 'file_summary', enabled: false });
    expect((await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'file_summary' } })).enabled).toBe(false);
    const whileOff = await rest('POST', '/api/plugins/{tool}/invoke', { token: workerToken, params: { tool: 'file_summary' }, body: { args: { path: 'plan.md' } } });
    expect(whileOff.status).toBe(409);
    expect(whileOff.body.error).toEqual({ code: 'CONFLICT', message: 'tool "file_summary" is disabled (plugin file_summary)' });
    expect((await rest('PUT', '/api/plugins/{name}', { token: masterToken, params: { name: 'file_summary' }, body: { enabled: true } })).body.enabled).toBe(true);
  });

  it('duplicates a task, reads the inbox and pages the event history', async () => {
    const original = await rest('POST', '/api/tasks', { token: masterToken, body: { title: 'copy me', prompt: 'the same work', requiredCapability: 'no-such-skill', priority: 70 } });
    const copy = await rest('POST', '/api/tasks/{id}/duplicate', { cookie: adminCookie, params: { id: original.body.id }, body: {} });
    expect(copy.status).toBe(201);
    expect(copy.body.id).not.toBe(original.body.id);
    expect(await testHub.hub.db.task.findUniqueOrThrow({ where: { id: copy.body.id } })).toMatchObject({ title: 'copy me', prompt: 'the same work', priority: 70, requiredCapability: 'no-such-skill', status: 'queued' });
    const viewerCopy = await rest('POST', '/api/tasks/{id}/duplicate', { cookie: viewerCookie, params: { id: original.body.id }, body: {} });
    expect(viewerCopy.status).toBe(403);
    expect(viewerCopy.body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission tasks:write' });

    const inbox = await rest('GET', '/api/inbox', { cookie: adminCookie });
    expect(inbox.status).toBe(200);
    // The tasks no agent can take wait in the inbox's "cannot run" list.
    expect(inbox.body.cannotRun.map((task: { id: string }) => task.id)).toEqual(expect.arrayContaining([original.body.id, copy.body.id]));
    expect(inbox.body.counts.total).toBeGreaterThanOrEqual(2);
    expect(inbox.body.canDecide).toBe(true);
    expect((await rest('GET', '/api/inbox', { token: emptyToken })).body.error).toEqual({ code: 'FORBIDDEN', message: 'missing permission tasks:read' });

    const page = await rest('GET', '/api/events', { token: masterToken, query: 'types=task_created&limit=2' });
    expect(page.status).toBe(200);
    expect(page.body.events).toHaveLength(2);
    expect(page.body.events.every((event: { type: string }) => event.type === 'task_created')).toBe(true);
    expect(page.body.nextBeforeId).toEqual(expect.any(Number));
    const older = await rest('GET', '/api/events', { cookie: viewerCookie, query: `types=task_created&limit=2&beforeId=${page.body.nextBeforeId}` });
    expect(older.body.events.length).toBeGreaterThan(0);
    expect(older.body.events.every((event: { id: string | number }) => Number(event.id) < page.body.nextBeforeId)).toBe(true);
    const badType = await rest('GET', '/api/events', { token: masterToken, query: 'types=no_such_event' });
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatchObject({ code: 'BAD_REQUEST', field: expect.stringMatching(/^types/) });
    const pastLimit = await rest('GET', '/api/events', { token: masterToken, query: 'limit=201' });
    expect(pastLimit.status).toBe(400);
    expect(pastLimit.body.error).toMatchObject({ code: 'BAD_REQUEST', field: 'limit' });
    expect((await rest('GET', '/api/events', { token: emptyToken })).status).toBe(403);
  });

  it('exercised every REST route', () => {
    const missing = REST_ROUTES.map((route) => `${route.method} ${route.path}`).filter((route) => !called.has(route));
    expect(missing).toEqual([]);
  });
});

describe('the OpenAPI document and the docs page', () => {
  it('is a valid OpenAPI 3.1 document listing every REST path and the event stream', async () => {
    const response = await fetch(`${testHub.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const route of REST_ROUTES) expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    expect(document.paths['/api/stream'].get).toBeDefined();
    // The voice endpoint has its own handler; the document describes it with its own schema.
    expect(document.paths['/api/voice/dispatch'].post.requestBody.content['application/json'].schema.properties.text).toMatchObject({ type: 'string', maxLength: 1000 });
    // New domains' schemas show too: a template's prompt limit, the memory search's query field.
    expect(document.paths['/api/templates/{id}/dispatch'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('variables');
    expect(document.paths['/api/agents/{id}/memory/search'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['id', 'query']));
    // The body schema is the procedure's own: tasks.create's title limit shows.
    const createBody = document.paths['/api/tasks'].post.requestBody.content['application/json'].schema;
    expect(createBody.properties.title).toMatchObject({ type: 'string', maxLength: 200 });
    expect(createBody.required).toEqual(expect.arrayContaining(['title', 'prompt']));
  });

  it('serves a docs page whose scripts and styles come from the hub itself', async () => {
    const page = await fetch(`${testHub.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) {
      expect(source.startsWith('/api/docs/')).toBe(true);
      const asset = await fetch(`${testHub.url}${source}`);
      expect(asset.status, source).toBe(200);
      expect((await asset.text()).length).toBeGreaterThan(20);
    }
  });
});
