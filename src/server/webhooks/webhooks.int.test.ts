// Inbound webhooks over real HTTP on a real hub: GitHub's published signature example passes and a
// one-digit change fails; a secret in the query string is refused (400) with nothing done; a wrong
// secret is 401 with nothing done; the 10-per-minute limit; an Uptime Kuma "down" payload becomes a
// readable chat message and a template's task; every delivery is listed with its outcome and
// announced as webhook_received. Time moves on the hub's injected clock.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveSubkey } from '../auth/secrets';
import { MemoryCipher } from '../memory/memory-cipher';
import { collectEvents, waitForSubscribers } from '../../testing/event-collector';
import { ManualClock } from '../../testing/manual-clock';
import { startTestHub, type TestHub } from '../../testing/test-hub';

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.destroy().catch(() => undefined);
});

async function start(options?: Parameters<typeof startTestHub>[0]) {
  const hub = await startTestHub(options);
  hubs.push(hub);
  return hub;
}

// docs.github.com, "Validating webhook deliveries": this secret and payload give this signature.
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_PAYLOAD = 'Hello, World!';
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const KUMA_DOWN = {
  heartbeat: { monitorID: 3, status: 0, time: '2026-03-01 10:00:00.000', msg: 'connect ECONNREFUSED 10.0.0.5:443', important: true, duration: 60 },
  monitor: { id: 3, name: 'billing-api', url: 'https://billing.example.com/health', type: 'http' },
  msg: '[billing-api] [🔴 Down] connect ECONNREFUSED 10.0.0.5:443',
};

function post(url: string, path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

async function counts(testHub: TestHub) {
  return { messages: await testHub.hub.db.message.count(), tasks: await testHub.hub.db.task.count() };
}

describe('inbound webhooks', () => {
  it('checks GitHub’s signature over the raw body: the published example passes, a one-digit change fails', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const { view } = await admin.webhooks.create.mutate({ name: 'github', action: { kind: 'chat', channel: 'ops' } });
    // The docs' example needs the docs' secret: put it in place as the hub stores secrets (encrypted).
    const cipher = new MemoryCipher(deriveSubkey(testHub.hub.secrets.secretKey, 'webhook-secrets'));
    await testHub.hub.db.webhook.update({ where: { id: view.id }, data: { secret: cipher.encrypt(GITHUB_SECRET, `webhooks\0${view.id}`) } });

    const oneDigitOff = GITHUB_SIGNATURE.replace(/7$/, '8');
    const before = await counts(testHub);
    const forged = await post(testHub.url, view.paths.github, GITHUB_PAYLOAD, { 'X-Hub-Signature-256': oneDigitOff, 'X-GitHub-Event': 'ping', 'Content-Type': 'text/plain' });
    expect(forged.status).toBe(401);
    expect(await counts(testHub)).toEqual(before);

    const signed = await post(testHub.url, view.paths.github, GITHUB_PAYLOAD, { 'X-Hub-Signature-256': GITHUB_SIGNATURE, 'X-GitHub-Event': 'ping', 'Content-Type': 'text/plain' });
    expect(signed.status).toBe(202);
    const answer = (await signed.json()) as { outcome: string; messageId: string };
    expect(answer.outcome).toBe('accepted');
    const message = await testHub.hub.db.message.findUniqueOrThrow({ where: { id: answer.messageId } });
    expect(message).toMatchObject({ channel: 'ops', senderType: 'system' });
    expect(message.content).toContain('GitHub ping');

    const deliveries = await admin.webhooks.deliveries.query({ webhookId: view.id });
    expect(deliveries.map((delivery) => [delivery.source, delivery.outcome, delivery.status])).toEqual([
      ['github', 'accepted', 202],
      ['github', 'rejected', 401],
    ]);
  });

  it('takes the secret only from X-Webhook-Secret: in the query string 400, wrong 401, nothing done either way', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const { secret, view } = await admin.webhooks.create.mutate({ name: 'generic', action: { kind: 'chat' } });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stored encrypted, never in the clear.
    const stored = await testHub.hub.db.webhook.findUniqueOrThrow({ where: { id: view.id } });
    expect(stored.secret).not.toContain(secret);
    expect((await admin.webhooks.list.query())[0]).not.toHaveProperty('secret');

    const before = await counts(testHub);
    const inQuery = await post(testHub.url, `${view.paths.generic}?secret=${encodeURIComponent(secret)}`, JSON.stringify({ message: 'deploy finished' }));
    expect(inQuery.status).toBe(400);
    expect(((await inQuery.json()) as { error: { message: string } }).error.message).toMatch(/only in a header/);
    const bothWays = await post(testHub.url, `${view.paths.generic}?token=${encodeURIComponent(secret)}`, JSON.stringify({ message: 'deploy finished' }), { 'X-Webhook-Secret': secret });
    expect(bothWays.status).toBe(400);
    // The secret under any name is refused too.
    expect((await post(testHub.url, `${view.paths.generic}?s=${encodeURIComponent(secret)}`, '{}')).status).toBe(400);
    const wrong = await post(testHub.url, view.paths.generic, JSON.stringify({ message: 'deploy finished' }), { 'X-Webhook-Secret': `${secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    const missing = await post(testHub.url, view.paths.generic, JSON.stringify({ message: 'deploy finished' }));
    expect(missing.status).toBe(401);
    expect(await counts(testHub)).toEqual(before);

    const right = await post(testHub.url, view.paths.generic, JSON.stringify({ message: 'deploy finished' }), { 'X-Webhook-Secret': secret });
    expect(right.status).toBe(202);
    const messages = await testHub.hub.db.message.findMany({ where: { channel: 'general' } });
    expect(messages.map((message) => message.content)).toEqual(['Webhook “generic”: deploy finished']);

    const unknown = await post(testHub.url, '/api/webhooks/no-such-hook', '{}', { 'X-Webhook-Secret': secret });
    expect(unknown.status).toBe(404);
    const tooBig = await post(testHub.url, view.paths.generic, JSON.stringify({ message: 'x'.repeat(300 * 1024) }), { 'X-Webhook-Secret': secret });
    expect(tooBig.status).toBe(413);
  });

  it('accepts 10 requests per minute per webhook, then 429 with Retry-After until the minute has passed', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const testHub = await start({ clock });
    const admin = testHub.client({ token: testHub.masterToken });
    const { secret, view } = await admin.webhooks.create.mutate({ name: 'busy', action: { kind: 'chat' } });
    const { secret: otherSecret, view: other } = await admin.webhooks.create.mutate({ name: 'quiet', action: { kind: 'chat' } });
    const send = (path: string, key: string) => post(testHub.url, path, JSON.stringify({ message: 'tick' }), { 'X-Webhook-Secret': key });
    for (let call = 1; call <= 10; call += 1) expect((await send(view.paths.generic, secret)).status).toBe(202);
    const refused = await send(view.paths.generic, secret);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/10 requests per minute/);
    // The limit is per webhook.
    expect((await send(other.paths.generic, otherSecret)).status).toBe(202);
    expect(await testHub.hub.db.message.count({ where: { content: { contains: '“busy”' } } })).toBe(10);
    clock.advance(60_001);
    expect((await send(view.paths.generic, secret)).status).toBe(202);
  });

  it('turns an Uptime Kuma "down" notification into a readable message and into a template’s task, announced as webhook_received', async () => {
    const testHub = await start();
    const admin = testHub.client({ token: testHub.masterToken });
    const template = await admin.templates.create.mutate({ name: 'Incident', promptTemplate: 'Investigate why {monitor} is failing. What the monitor saw: {summary}' });
    await expect(
      admin.webhooks.create.mutate({ name: 'bad', action: { kind: 'task', templateId: template.id, variables: { monitor: 'monitor.name' } } }),
    ).rejects.toThrow(/action.variables.summary: missing/);
    const chat = await admin.webhooks.create.mutate({ name: 'kuma-chat', action: { kind: 'chat', channel: 'alerts' }, eventFilter: 'down' });
    const task = await admin.webhooks.create.mutate({
      name: 'kuma-task',
      action: { kind: 'task', templateId: template.id, variables: { monitor: 'monitor.name', summary: 'message' } },
    });
    const events = collectEvents(admin);
    await waitForSubscribers(testHub, 1);
    const kumaHeaders = (secret: string) => ({ 'X-Webhook-Secret': secret, 'User-Agent': 'Uptime-Kuma/1.23.16' });

    const toChat = await post(testHub.url, chat.view.paths.generic, JSON.stringify(KUMA_DOWN), kumaHeaders(chat.secret));
    expect(toChat.status).toBe(202);
    const chatAnswer = (await toChat.json()) as { source: string; event: string; messageId: string };
    expect(chatAnswer).toMatchObject({ source: 'uptime_kuma', event: 'down' });
    const message = await testHub.hub.db.message.findUniqueOrThrow({ where: { id: chatAnswer.messageId } });
    expect(message.channel).toBe('alerts');
    expect(message.content).toBe('monitor billing-api is DOWN: connect ECONNREFUSED 10.0.0.5:443 (https://billing.example.com/health)');
    // "up" does not pass this webhook's filter: recorded, nothing posted.
    const up = { ...KUMA_DOWN, heartbeat: { ...KUMA_DOWN.heartbeat, status: 1, msg: '200 - OK' } };
    const filtered = await post(testHub.url, chat.view.paths.generic, JSON.stringify(up), kumaHeaders(chat.secret));
    expect(filtered.status).toBe(200);
    expect(await testHub.hub.db.message.count({ where: { channel: 'alerts' } })).toBe(1);

    // Detected by body shape alone too (no Uptime Kuma user agent).
    const toTask = await post(testHub.url, task.view.paths.generic, JSON.stringify(KUMA_DOWN), { 'X-Webhook-Secret': task.secret });
    expect(toTask.status).toBe(202);
    const { taskId } = (await toTask.json()) as { taskId: string };
    const created = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(created.prompt).toBe('Investigate why billing-api is failing. What the monitor saw: monitor billing-api is DOWN: connect ECONNREFUSED 10.0.0.5:443 (https://billing.example.com/health)');
    expect(created.createdBy).toBe('webhook:kuma-task');

    const received = await events.waitFor('webhook_received', (event) => event.payload.taskId === taskId);
    expect(received.payload).toMatchObject({ name: 'kuma-task', source: 'uptime_kuma', event: 'down', outcome: 'accepted', status: 202 });
    events.stop();
    const listed = await admin.webhooks.list.query();
    expect(listed.find((hook) => hook.id === chat.view.id)?.lastDelivery).toMatchObject({ outcome: 'filtered', event: 'up' });
    expect((await admin.webhooks.deliveries.query({ webhookId: chat.view.id })).map((delivery) => delivery.outcome)).toEqual(['filtered', 'accepted']);

    await admin.webhooks.delete.mutate({ webhookId: chat.view.id });
    expect((await post(testHub.url, chat.view.paths.generic, JSON.stringify(KUMA_DOWN), kumaHeaders(chat.secret))).status).toBe(404);
  });
});
