// messages.* over real HTTP: who a message is from, replies, the 50 KB limit, permissions,
// system posts, and cursor paging that returns every message exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { LIMITS, utf8Bytes } from '@/lib/limits';
import { collectEvents, waitForSubscribers, type EventCollector } from '../../testing/event-collector';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let master: HubClient;
let stream: EventCollector;
let aliceHeaders: Record<string, string>;
let viewerHeaders: Record<string, string>;
let rexToken: string;

beforeAll(async () => {
  testHub = await startTestHub();
  master = testHub.client({ token: testHub.masterToken });
  await master.users.create.mutate({ username: 'alice', role: 'user', password: 'alice-message-password' });
  await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-message-password' });
  aliceHeaders = { Cookie: await loginCookie(testHub.url, { username: 'alice', password: 'alice-message-password' }), Origin: testHub.url };
  viewerHeaders = { Cookie: await loginCookie(testHub.url, { username: 'vera', password: 'vera-message-password' }), Origin: testHub.url };
  rexToken = (await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' })).token;
  stream = collectEvents(master);
  await waitForSubscribers(testHub, 1);
});

afterAll(async () => {
  stream.stop();
  await testHub.destroy();
});

describe('messages.send', () => {
  it('takes the sender from the principal: user, agent token, master', async () => {
    const alice = testHub.client({ cookie: aliceHeaders.Cookie, origin: testHub.url });
    const fromAlice = await alice.messages.send.mutate({ content: 'hello mesh' });
    expect(fromAlice).toMatchObject({ sender: 'alice', senderType: 'user', channel: 'general', replyTo: null });
    const fromRex = await testHub.client({ token: rexToken }).messages.send.mutate({ content: 'on it', channel: 'research', replyTo: fromAlice.id });
    expect(fromRex).toMatchObject({ sender: 'rex', senderType: 'agent', channel: 'research', replyTo: fromAlice.id });
    const fromMaster = await master.messages.send.mutate({ content: 'status?' });
    expect(fromMaster).toMatchObject({ sender: 'operator', senderType: 'user' });

    const rows = await testHub.hub.db.message.findMany({ where: { id: { in: [fromAlice.id, fromRex.id, fromMaster.id] } }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.sender, row.senderType, row.channel, row.content, row.replyTo])).toEqual([
      ['alice', 'user', 'general', 'hello mesh', null],
      ['rex', 'agent', 'research', 'on it', fromAlice.id],
      ['operator', 'user', 'general', 'status?', null],
    ]);
    const event = await stream.waitFor('message_posted', (item) => item.payload.messageId === fromRex.id);
    expect(event.payload).toEqual({ messageId: fromRex.id, sender: 'rex', senderType: 'agent', channel: 'research', content: 'on it', replyTo: fromAlice.id });
  });

  it('ignores a sender or sender type in the input: only the hub posts as system', async () => {
    const spoof = await rawCall(testHub.url, 'messages.send', {
      type: 'mutation',
      input: { content: 'I am the hub', sender: 'system', senderType: 'system' },
      headers: aliceHeaders,
    });
    expect(spoof.status).toBe(200);
    const row = await testHub.hub.db.message.findUniqueOrThrow({ where: { id: spoof.body.result.data.id } });
    expect(row).toMatchObject({ sender: 'alice', senderType: 'user' });

    const system = await testHub.hub.messages.postSystem('alerts', 'rex is offline');
    expect(system).toMatchObject({ sender: 'system', senderType: 'system', channel: 'alerts' });
    await stream.waitFor('message_posted', (item) => item.payload.messageId === system.id && item.payload.senderType === 'system');
  });

  it('refuses a reply to a message that does not exist, and a bad channel', async () => {
    const before = await testHub.hub.db.message.count();
    const reply = await rawCall(testHub.url, 'messages.send', {
      type: 'mutation',
      input: { content: 'reply', replyTo: '00000000-0000-7000-8000-000000000000' },
      headers: aliceHeaders,
    });
    expect(reply.status).toBe(404);
    expect(reply.body.error.data.field).toBe('replyTo');
    const channel = await rawCall(testHub.url, 'messages.send', { type: 'mutation', input: { content: 'x', channel: 'No Spaces' }, headers: aliceHeaders });
    expect(channel.status).toBe(400);
    expect(channel.body.error.data.field).toBe('channel');
    expect(await testHub.hub.db.message.count()).toBe(before);
  });

  it('refuses a message over 50 KB (counted in UTF-8 bytes) naming the limit, and writes nothing', async () => {
    const before = await testHub.hub.db.message.count();
    const eventsBefore = await testHub.hub.db.eventLog.count({ where: { type: 'message_posted' } });
    // 26,000 two-byte characters: under the limit in characters, over it in bytes.
    const content = 'é'.repeat(26_000);
    expect(utf8Bytes(content)).toBeGreaterThan(LIMITS.messageBytes);
    const oversized = await rawCall(testHub.url, 'messages.send', { type: 'mutation', input: { content }, headers: aliceHeaders });
    expect(oversized.status).toBe(400);
    expect(oversized.body.error.data).toMatchObject({ code: 'BAD_REQUEST', field: 'content', limit: 'messageBytes' });
    expect(oversized.body.error.message).toContain('50 KB');
    expect(await testHub.hub.db.message.count()).toBe(before);
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'message_posted' } })).toBe(eventsBefore);

    const atLimit = await rawCall(testHub.url, 'messages.send', { type: 'mutation', input: { content: 'x'.repeat(LIMITS.messageBytes) }, headers: aliceHeaders });
    expect(atLimit.status).toBe(200);
  });

  it('lets a viewer read but not send', async () => {
    const send = await rawCall(testHub.url, 'messages.send', { type: 'mutation', input: { content: 'hi' }, headers: viewerHeaders });
    expect(send.status).toBe(403);
    expect(send.body.error.message).toContain('messages:write');
    const list = await rawCall(testHub.url, 'messages.list', { type: 'query', input: { channel: 'general' }, headers: viewerHeaders });
    expect(list.status).toBe(200);
    expect(list.body.result.data.messages.length).toBeGreaterThan(0);
  });
});

describe('messages.list', () => {
  it('pages newest first by cursor, returning every message of the channel exactly once', async () => {
    const rex = testHub.client({ token: rexToken });
    const sent: string[] = [];
    for (let index = 0; index < 23; index += 1) sent.push((await rex.messages.send.mutate({ content: `page ${index}`, channel: 'paging' })).id);
    await rex.messages.send.mutate({ content: 'elsewhere', channel: 'paging-other' });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await master.messages.list.query({ channel: 'paging', limit: 5, cursor });
      pages += 1;
      expect(page.messages.length).toBeLessThanOrEqual(5);
      seen.push(...page.messages.map((message) => message.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...sent].reverse());
    expect(new Set(seen).size).toBe(23);

    const exact = await master.messages.list.query({ channel: 'paging', limit: 23 });
    expect(exact.messages).toHaveLength(23);
    expect(exact.nextCursor).toBeNull();
  });

  it('refuses a page size above 500', async () => {
    const tooMany = await rawCall(testHub.url, 'messages.list', { type: 'query', input: { channel: 'general', limit: 501 }, headers: aliceHeaders });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.data.field).toBe('limit');
  });
});
