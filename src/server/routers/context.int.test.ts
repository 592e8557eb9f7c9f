// context.* over real HTTP: set/get/list/delete with set_by and events, key and size checks,
// and a viewer reading but not writing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@/lib/limits';
import type { HubClient } from '@/lib/hub-client';
import { collectEvents, waitForSubscribers, type EventCollector } from '../../testing/event-collector';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let master: HubClient;
let stream: EventCollector;
let operatorHeaders: Record<string, string>;
let viewerHeaders: Record<string, string>;

beforeAll(async () => {
  testHub = await startTestHub();
  master = testHub.client({ token: testHub.masterToken });
  await master.users.create.mutate({ username: 'alice', role: 'user', password: 'alice-context-password' });
  await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-context-password' });
  operatorHeaders = { Cookie: await loginCookie(testHub.url, { username: 'alice', password: 'alice-context-password' }), Origin: testHub.url };
  viewerHeaders = { Cookie: await loginCookie(testHub.url, { username: 'vera', password: 'vera-context-password' }), Origin: testHub.url };
  stream = collectEvents(master);
  await waitForSubscribers(testHub, 1);
});

afterAll(async () => {
  stream.stop();
  await testHub.destroy();
});

describe('context', () => {
  it('sets, reads, lists and deletes an entry, recording who set it and publishing events', async () => {
    const alice = testHub.client({ cookie: operatorHeaders.Cookie, origin: testHub.url });
    const set = await alice.context.set.mutate({ key: 'deploy:target', value: 'staging' });
    expect(set).toMatchObject({ key: 'deploy:target', value: 'staging', setBy: 'user:alice' });
    expect(await testHub.hub.db.contextEntry.findUniqueOrThrow({ where: { key: 'deploy:target' } })).toMatchObject({ value: 'staging', setBy: 'user:alice' });
    await stream.waitFor('context_updated', (event) => event.payload.key === 'deploy:target' && event.payload.value === 'staging');

    const replaced = await master.context.set.mutate({ key: 'deploy:target', value: 'production' });
    expect(replaced).toMatchObject({ value: 'production', setBy: 'master' });
    expect(await testHub.hub.db.contextEntry.count({ where: { key: 'deploy:target' } })).toBe(1);

    await master.context.set.mutate({ key: 'a.first', value: '1' });
    expect(await master.context.get.query({ key: 'deploy:target' })).toMatchObject({ value: 'production', setBy: 'master' });
    const keys = (await master.context.list.query()).map((entry) => entry.key);
    expect(keys).toEqual(['a.first', 'deploy:target']);

    expect(await alice.context.delete.mutate({ key: 'deploy:target' })).toEqual({ key: 'deploy:target', deleted: true });
    expect(await testHub.hub.db.contextEntry.findUnique({ where: { key: 'deploy:target' } })).toBeNull();
    await stream.waitFor('context_deleted', (event) => event.payload.key === 'deploy:target');

    const missing = await rawCall(testHub.url, 'context.get', { type: 'query', input: { key: 'deploy:target' }, headers: operatorHeaders });
    expect(missing.status).toBe(404);
    const deleteMissing = await rawCall(testHub.url, 'context.delete', { type: 'mutation', input: { key: 'deploy:target' }, headers: operatorHeaders });
    expect(deleteMissing.status).toBe(404);
  });

  it('lets an agent token with messages:write set context as its agent', async () => {
    const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const rex = testHub.client({ token });
    expect(await rex.context.set.mutate({ key: 'rex.status', value: 'researching' })).toMatchObject({ setBy: 'agent:rex' });
  });

  it('lets a viewer read but not change context', async () => {
    await master.context.set.mutate({ key: 'shared', value: 'visible' });
    const read = await rawCall(testHub.url, 'context.get', { type: 'query', input: { key: 'shared' }, headers: viewerHeaders });
    expect(read.status).toBe(200);
    expect(read.body.result.data.value).toBe('visible');
    expect((await rawCall(testHub.url, 'context.list', { type: 'query', headers: viewerHeaders })).status).toBe(200);

    const write = await rawCall(testHub.url, 'context.set', { type: 'mutation', input: { key: 'shared', value: 'changed' }, headers: viewerHeaders });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('messages:write');
    const remove = await rawCall(testHub.url, 'context.delete', { type: 'mutation', input: { key: 'shared' }, headers: viewerHeaders });
    expect(remove.status).toBe(403);
    expect((await testHub.hub.db.contextEntry.findUniqueOrThrow({ where: { key: 'shared' } })).value).toBe('visible');
  });

  it('refuses a malformed key and an oversized value, writing nothing', async () => {
    const badKey = await rawCall(testHub.url, 'context.set', { type: 'mutation', input: { key: 'has space', value: 'x' }, headers: operatorHeaders });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.data.field).toBe('key');
    const longKey = await rawCall(testHub.url, 'context.set', { type: 'mutation', input: { key: 'k'.repeat(129), value: 'x' }, headers: operatorHeaders });
    expect(longKey.status).toBe(400);

    const oversized = await rawCall(testHub.url, 'context.set', {
      type: 'mutation',
      input: { key: 'big', value: 'x'.repeat(LIMITS.messageBytes + 1) },
      headers: operatorHeaders,
    });
    expect(oversized.status).toBe(400);
    expect(oversized.body.error.data).toMatchObject({ field: 'value', limit: 'messageBytes' });
    expect(await testHub.hub.db.contextEntry.findUnique({ where: { key: 'big' } })).toBeNull();

    const atLimit = await rawCall(testHub.url, 'context.set', {
      type: 'mutation',
      input: { key: 'big', value: 'x'.repeat(LIMITS.messageBytes) },
      headers: operatorHeaders,
    });
    expect(atLimit.status).toBe(200);
  });
});
