// approvals.* over real HTTP: agents ask (for their own agent only), operators decide (never
// an agent token), decisions are final, and the expiry sweeper closes what nobody answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { ManualClock } from '../../testing/manual-clock';
import { collectEvents, waitForSubscribers, type EventCollector } from '../../testing/event-collector';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';
import { expireApprovals } from '../sweepers/approval-expiry';
import { DEFAULT_SWEEPERS } from '../sweepers/scheduler';

const clock = new ManualClock('2026-03-01T09:00:00Z');
let testHub: TestHub;
let master: HubClient;
let stream: EventCollector;
let operatorHeaders: Record<string, string>;
let viewerHeaders: Record<string, string>;
let rexToken: string;
let archonAdminToken: string;

beforeAll(async () => {
  testHub = await startTestHub({ clock });
  master = testHub.client({ token: testHub.masterToken });
  await master.users.create.mutate({ username: 'olga', role: 'user', password: 'olga-approval-password' });
  await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-approval-password' });
  operatorHeaders = { Cookie: await loginCookie(testHub.url, { username: 'olga', password: 'olga-approval-password' }), Origin: testHub.url };
  viewerHeaders = { Cookie: await loginCookie(testHub.url, { username: 'vera', password: 'vera-approval-password' }), Origin: testHub.url };
  rexToken = (await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' })).token;
  archonAdminToken = (await master.tokens.create.mutate({ agentId: 'archon', preset: 'admin' })).token;
  stream = collectEvents(master);
  await waitForSubscribers(testHub, 1);
});

afterAll(async () => {
  stream.stop();
  await testHub.destroy();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('approvals.create', () => {
  it('lets a worker token ask for its own agent, and publishes approval_created', async () => {
    const rex = testHub.client({ token: rexToken });
    const created = await rex.approvals.create.mutate({ action: 'deploy', description: 'push build 42 to production' });
    expect(created).toMatchObject({ agentId: 'rex', action: 'deploy', status: 'pending', timeoutSeconds: 3600, decidedBy: null });
    expect(created.expiresAt).toBe(new Date(clock.now().getTime() + 3_600_000).toISOString());
    const row = await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ agentId: 'rex', status: 'pending', timeoutSeconds: 3600, description: 'push build 42 to production' });
    const event = await stream.waitFor('approval_created', (item) => item.payload.approvalId === created.id);
    expect(event.payload).toMatchObject({ agentId: 'rex', action: 'deploy', expiresAt: created.expiresAt });

    const named = await rex.approvals.create.mutate({ action: 'restart', agentId: 'rex', timeoutSeconds: 60 });
    expect(named.agentId).toBe('rex');
  });

  it('refuses a worker token asking for another agent, writing nothing', async () => {
    const before = await testHub.hub.db.approval.count();
    const other = await rawCall(testHub.url, 'approvals.create', { type: 'mutation', input: { action: 'deploy', agentId: 'archon' }, headers: bearer(rexToken) });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('own agent');
    expect(await testHub.hub.db.approval.count()).toBe(before);
  });

  it('needs an agent id from a user or the master, and checks the timeout range', async () => {
    const noAgent = await rawCall(testHub.url, 'approvals.create', { type: 'mutation', input: { action: 'deploy' }, headers: operatorHeaders });
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.error.data.field).toBe('agentId');
    const asMaster = await master.approvals.create.mutate({ action: 'delete branch', agentId: 'crucible', timeoutSeconds: 10 });
    expect(asMaster).toMatchObject({ agentId: 'crucible', timeoutSeconds: 10 });
    for (const timeoutSeconds of [9, 86_401]) {
      const outOfRange = await rawCall(testHub.url, 'approvals.create', {
        type: 'mutation',
        input: { action: 'x', agentId: 'rex', timeoutSeconds },
        headers: bearer(testHub.masterToken),
      });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.error.data.field).toBe('timeoutSeconds');
    }
  });

  it('lets a viewer list approvals but not create one', async () => {
    const list = await rawCall(testHub.url, 'approvals.list', { type: 'query', headers: viewerHeaders });
    expect(list.status).toBe(200);
    expect(list.body.result.data.length).toBeGreaterThan(0);
    const create = await rawCall(testHub.url, 'approvals.create', { type: 'mutation', input: { action: 'x', agentId: 'rex' }, headers: viewerHeaders });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toContain('tasks:write');
  });
});

describe('approvals.approve / reject', () => {
  it('records the operator’s decision once; a second decision is a conflict', async () => {
    const rex = testHub.client({ token: rexToken });
    const pending = await rex.approvals.create.mutate({ action: 'rm -rf build/' });
    const olga = testHub.client({ cookie: operatorHeaders.Cookie, origin: testHub.url });
    const approved = await olga.approvals.approve.mutate({ approvalId: pending.id });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'user:olga' });
    const row = await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: pending.id } });
    expect(row).toMatchObject({ status: 'approved', decidedBy: 'user:olga' });
    expect(row.decidedAt?.toISOString()).toBe(clock.now().toISOString());
    const event = await stream.waitFor('approval_decided', (item) => item.payload.approvalId === pending.id);
    expect(event.payload).toEqual({ approvalId: pending.id, agentId: 'rex', status: 'approved', decidedBy: 'user:olga' });

    const again = await rawCall(testHub.url, 'approvals.reject', { type: 'mutation', input: { approvalId: pending.id }, headers: bearer(testHub.masterToken) });
    expect(again.status).toBe(409);
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('approved');

    const second = await rex.approvals.create.mutate({ action: 'send email' });
    expect(await master.approvals.reject.mutate({ approvalId: second.id })).toMatchObject({ status: 'rejected', decidedBy: 'master' });
    await stream.waitFor('approval_decided', (item) => item.payload.approvalId === second.id && item.payload.status === 'rejected');
  });

  it('refuses a decision by any agent token, even one holding every permission', async () => {
    const pending = await testHub.client({ token: rexToken }).approvals.create.mutate({ action: 'deploy' });
    for (const token of [rexToken, archonAdminToken]) {
      for (const verb of ['approve', 'reject']) {
        const denied = await rawCall(testHub.url, `approvals.${verb}`, { type: 'mutation', input: { approvalId: pending.id }, headers: bearer(token) });
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toBe('only an operator can decide approvals');
      }
    }
    expect(await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: 'pending', decidedBy: null });
    const viewer = await rawCall(testHub.url, 'approvals.approve', { type: 'mutation', input: { approvalId: pending.id }, headers: viewerHeaders });
    expect(viewer.status).toBe(403);
  });

  it('answers 404 for an unknown approval', async () => {
    const unknown = await rawCall(testHub.url, 'approvals.approve', { type: 'mutation', input: { approvalId: 'no-such-approval' }, headers: operatorHeaders });
    expect(unknown.status).toBe(404);
  });
});

describe('approvals.list', () => {
  it('filters by status; an agent token sees only its own agent’s approvals', async () => {
    const all = await master.approvals.list.query();
    expect(new Set(all.map((approval) => approval.agentId))).toEqual(new Set(['rex', 'crucible']));
    // Newest first: ids are UUIDv7.
    expect(all.map((approval) => approval.id)).toEqual([...all.map((approval) => approval.id)].sort().reverse());
    const approved = await master.approvals.list.query({ status: 'approved' });
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((approval) => approval.status === 'approved')).toBe(true);

    const asRex = await testHub.client({ token: rexToken }).approvals.list.query();
    expect(asRex.length).toBeGreaterThan(0);
    expect(asRex.every((approval) => approval.agentId === 'rex')).toBe(true);
    expect(await testHub.client({ token: archonAdminToken }).approvals.list.query()).toEqual([]);
  });
});

describe('approval expiry', () => {
  it('closes pending approvals past their timeout, and a late decision is a conflict', async () => {
    const rex = testHub.client({ token: rexToken });
    const short = await rex.approvals.create.mutate({ action: 'expires soon', timeoutSeconds: 60 });
    const long = await rex.approvals.create.mutate({ action: 'expires later', timeoutSeconds: 600 });

    clock.advance(59_000);
    await expireApprovals(testHub.hub, clock.now());
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: short.id } })).status).toBe('pending');

    clock.advance(2_000);
    // Past its expiry but not yet swept: it can no longer be approved.
    const late = await rawCall(testHub.url, 'approvals.approve', { type: 'mutation', input: { approvalId: short.id }, headers: operatorHeaders });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('expired');

    const result = await expireApprovals(testHub.hub, clock.now());
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const row = await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: short.id } });
    expect(row).toMatchObject({ status: 'expired', decidedBy: null });
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: long.id } })).status).toBe('pending');
    const event = await stream.waitFor('approval_decided', (item) => item.payload.approvalId === short.id);
    expect(event.payload).toEqual({ approvalId: short.id, agentId: 'rex', status: 'expired', decidedBy: null });

    // A second pass finds nothing new to close.
    const eventsBefore = await testHub.hub.db.eventLog.count({ where: { type: 'approval_decided' } });
    await expireApprovals(testHub.hub, clock.now());
    expect(await testHub.hub.db.eventLog.count({ where: { type: 'approval_decided' } })).toBe(eventsBefore);
    const afterExpiry = await rawCall(testHub.url, 'approvals.reject', { type: 'mutation', input: { approvalId: short.id }, headers: operatorHeaders });
    expect(afterExpiry.status).toBe(409);
  });

  it('is registered with the sweepers every 30 seconds', () => {
    expect(DEFAULT_SWEEPERS.find((sweeper) => sweeper.name === 'approval-expiry')).toMatchObject({ intervalMs: 30_000, run: expireApprovals });
  });
});
