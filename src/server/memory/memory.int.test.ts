// Agent memory over real HTTP on a real hub: the store/list/search/delete round trip with the
// database file and its WAL read byte by byte for plaintext, hostile search text, agent-token
// scope, claim-time injection into the prompt a worker receives, consolidation (the rules and the
// model's merges through the fake Anthropic server), and [REMEMBER] blocks stored by a real worker
// process running the anthropic runtime.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { collectEvents, waitForSubscribers } from '../../testing/event-collector';
import { startFakeAnthropic } from '../../testing/fake-anthropic';
import { runTypeScript } from '../../testing/hub-process';
import { createTask, registerWorker } from '../../testing/mesh-fixtures';
import { makeTempDir, startTestHub, type TestHub } from '../../testing/test-hub';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hubForTest(env: Record<string, string> = {}): Promise<TestHub> {
  const testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '100000000', ...env } });
  cleanups.push(() => testHub.destroy().catch(() => undefined));
  return testHub;
}

function errorOf(error: unknown): { httpStatus?: number; field?: string; limit?: string; message: string } {
  if (!(error instanceof TRPCClientError)) throw error;
  const data = error.data as { httpStatus?: number; field?: string; limit?: string };
  return { httpStatus: data?.httpStatus, field: data?.field, limit: data?.limit, message: error.message };
}

async function refusal(call: Promise<unknown>) {
  return errorOf(await call.then(() => expect.fail('expected the call to be refused'), (error: unknown) => error));
}

/** Every file of the database (main, WAL, shared memory) as it is on disk now. */
function databaseBytes(testHub: TestHub): Buffer {
  const file = testHub.hub.config.databaseFile;
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter((name) => fs.existsSync(name)).map((name) => fs.readFileSync(name)));
}

function containsText(bytes: Buffer, text: string): boolean {
  return bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le'));
}

describe('agent memory over HTTP', () => {
  it('stores, lists, searches and deletes, with no plaintext of a value in the database file or its WAL', async () => {
    const testHub = await hubForTest();
    await registerWorker(testHub, { id: 'rex' });
    const master = testHub.client({ token: testHub.masterToken });
    const watcher = collectEvents(master);
    cleanups.push(() => watcher.stop());
    await waitForSubscribers(testHub, 1);

    const secretWords = ['quokkaphone', 'zanzibarite', 'plinthwobble'];
    const value = `The ${secretWords[0]} launch uses ${secretWords[1]} pricing; ask ${secretWords[2]} first.`;
    const stored = await master.memory.store.mutate({ agentId: 'rex', key: 'launch.plan', value, confidence: 0.8 });
    expect(stored).toMatchObject({ agentId: 'rex', key: 'launch.plan', value, source: 'operator', confidence: 0.8, created: true });
    await master.memory.store.mutate({ agentId: 'rex', key: 'lunch', value: 'pizza on fridays' });

    const listed = await master.memory.list.query({ agentId: 'rex' });
    expect(listed.map((entry) => entry.key).sort()).toEqual(['launch.plan', 'lunch']);
    expect(listed.find((entry) => entry.key === 'launch.plan')!.value).toBe(value);

    const hits = await master.memory.search.query({ agentId: 'rex', query: 'ZANZIBARITE pricing?' });
    expect(hits.map((hit) => hit.key)).toEqual(['launch.plan']);
    expect(hits[0]!.value).toBe(value);
    expect(hits[0]!.score).toBeGreaterThan(0);
    // Whole words only: a prefix finds nothing.
    expect(await master.memory.search.query({ agentId: 'rex', query: 'zanzibar' })).toEqual([]);

    // An update replaces the value under the same key and re-indexes it.
    const updated = await master.memory.store.mutate({ agentId: 'rex', key: 'lunch', value: 'tacos on mondays' });
    expect(updated.created).toBe(false);
    expect((await master.memory.search.query({ agentId: 'rex', query: 'tacos' })).map((hit) => hit.key)).toEqual(['lunch']);
    expect(await master.memory.search.query({ agentId: 'rex', query: 'pizza' })).toEqual([]);

    const event = await watcher.waitFor('memory_stored', (item) => item.payload.key === 'launch.plan');
    expect(event.payload).toEqual({ agentId: 'rex', key: 'launch.plan', source: 'operator', created: true });

    // Nothing of the value reached the disk in the clear: not the table, not the index, not the event log.
    const whileRunning = databaseBytes(testHub);
    expect(fs.existsSync(`${testHub.hub.config.databaseFile}-wal`)).toBe(true);
    for (const word of [...secretWords, value, 'tacos on mondays']) expect(containsText(whileRunning, word)).toBe(false);
    expect(await testHub.hub.db.agentMemory.count()).toBe(2);
    expect((await testHub.hub.db.agentMemory.findFirstOrThrow({ where: { key: 'launch.plan' } })).value).toMatch(/^v1\./);

    expect(await master.memory.delete.mutate({ agentId: 'rex', key: 'launch.plan' })).toEqual({ agentId: 'rex', key: 'launch.plan', deleted: true });
    expect(await master.memory.search.query({ agentId: 'rex', query: 'zanzibarite' })).toEqual([]);
    await watcher.waitFor('memory_deleted', (item) => item.payload.key === 'launch.plan');
    expect((await refusal(master.memory.delete.mutate({ agentId: 'rex', key: 'launch.plan' }))).httpStatus).toBe(404);

    const eventRows = await testHub.hub.db.eventLog.findMany({ where: { type: { startsWith: 'memory_' } } });
    expect(eventRows.length).toBeGreaterThanOrEqual(4);
    for (const row of eventRows) expect(row.payload).not.toContain('tacos');

    // After shutdown (the WAL checkpointed into the main file) the file still holds no plaintext.
    await testHub.stop();
    const afterStop = databaseBytes(testHub);
    for (const word of [...secretWords, 'tacos on mondays']) expect(containsText(afterStop, word)).toBe(false);
  });

  it('answers every hostile query with a list', async () => {
    const testHub = await hubForTest();
    const rex = await registerWorker(testHub, { id: 'rex' });
    await rex.client.memory.store.mutate({ key: 'deploy', value: 'OR AND NOT NEAR "quoted" deploy* col:umn (paren) - minus' });
    const hostile = [
      '',
      '   ',
      '"',
      '"unterminated',
      'OR',
      'AND OR NOT',
      'NEAR(',
      'NEAR(deploy minus, 2)',
      '*',
      'deploy*',
      '^deploy',
      'key:deploy',
      ':',
      '-',
      '- minus',
      '(',
      ')',
      '((deploy)',
      'deploy OR',
      '{key} : x',
      "'; DROP TABLE agent_memory; --",
      '\u0000\u0001\u0002',
      '🦘🦘 emoji',
      '!@#$%^&*()_+-=[]{}|;\':",./<>?`~'.repeat(340),
      'ab'.repeat(5000),
    ];
    for (const query of hostile) {
      const hits = await rex.client.memory.search.query({ query });
      expect(Array.isArray(hits)).toBe(true);
    }
    expect((await rex.client.memory.search.query({ query: 'NEAR( "deploy" OR minus*' })).map((hit) => hit.key)).toEqual(['deploy']);
    expect(await rex.client.memory.search.query({ query: '!@#$%^&*()'.repeat(1024) })).toEqual([]);
    expect(await testHub.hub.db.agentMemory.count()).toBe(1);
  });

  it('keeps an agent token to its own agent and refuses bad input naming the field and the limit', async () => {
    const testHub = await hubForTest();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const jules = await registerWorker(testHub, { id: 'jules' });
    await jules.client.memory.store.mutate({ key: 'secret.plan', value: 'jules keeps this' });
    expect((await rex.client.memory.store.mutate({ key: 'own', value: 'mine' })).source).toBe('agent');

    for (const call of [
      () => rex.client.memory.list.query({ agentId: 'jules' }),
      () => rex.client.memory.search.query({ agentId: 'jules', query: 'jules keeps this' }),
      () => rex.client.memory.store.mutate({ agentId: 'jules', key: 'planted', value: 'x' }),
      () => rex.client.memory.delete.mutate({ agentId: 'jules', key: 'secret.plan' }),
      () => rex.client.memory.consolidations.query({ agentId: 'jules' }),
      () => rex.client.memory.consolidate.mutate(),
    ]) {
      expect((await refusal(call())).httpStatus).toBe(403);
    }
    expect((await testHub.hub.db.agentMemory.findFirstOrThrow({ where: { agentId: 'jules' } })).key).toBe('secret.plan');
    // Searching its own memory for jules' words finds nothing of jules'.
    expect(await rex.client.memory.search.query({ query: 'jules keeps this' })).toEqual([]);
    expect((await rex.client.memory.list.query({})).map((entry) => entry.key)).toEqual(['own']);
    expect((await refusal(rex.client.memory.store.mutate({ key: 'x', value: 'y', source: 'operator' }))).field).toBe('source');

    const master = testHub.client({ token: testHub.masterToken });
    expect((await master.memory.list.query({ agentId: 'jules' })).map((entry) => entry.key)).toEqual(['secret.plan']);
    expect((await refusal(master.memory.list.query({}))).field).toBe('agentId');
    expect((await refusal(master.memory.store.mutate({ agentId: 'nobody', key: 'k', value: 'v' }))).httpStatus).toBe(404);

    const badKey = await refusal(rex.client.memory.store.mutate({ key: 'has space', value: 'v' }));
    expect(badKey).toMatchObject({ httpStatus: 400, field: 'key' });
    const tooBig = await refusal(rex.client.memory.store.mutate({ key: 'big', value: 'x'.repeat(8 * 1024 + 1) }));
    expect(tooBig).toMatchObject({ httpStatus: 400, field: 'value', limit: 'memoryValueBytes' });
    expect((await refusal(rex.client.memory.store.mutate({ key: 'c', value: 'v', confidence: 1.5 }))).field).toBe('confidence');
    expect(await testHub.hub.db.agentMemory.count()).toBe(2);
  });
});

describe('auto-inject', () => {
  it('puts the claiming agent’s matching memories ahead of the prompt and records the keys', async () => {
    const testHub = await hubForTest();
    const rex = await registerWorker(testHub, { id: 'rex' });
    const jules = await registerWorker(testHub, { id: 'jules' });
    await rex.client.memory.store.mutate({ key: 'storekit.pricing', value: 'StoreKit 2 subscriptions cost $4.99 monthly in the US' });
    await rex.client.memory.store.mutate({ key: 'storekit.sandbox', value: 'use the sandbox account tester@example.com for StoreKit' });
    await rex.client.memory.store.mutate({ key: 'lunch', value: 'pizza on fridays' });
    await jules.client.memory.store.mutate({ key: 'jules.storekit', value: 'jules thinks StoreKit pricing is $1' });

    const task = await createTask(testHub, { title: 'Research StoreKit', prompt: 'Summarise StoreKit 2 pricing for the team.', assignTo: 'rex' });
    const [claimed] = await rex.client.tasks.claim.mutate({});
    expect(claimed!.taskId).toBe(task.id);
    expect(claimed!.prompt.startsWith('[MEMORY]\n')).toBe(true);
    const [block, prompt] = claimed!.prompt.split('[/MEMORY]\n\n');
    expect(prompt).toBe('Summarise StoreKit 2 pricing for the team.');
    expect(block).toContain('- storekit.pricing: StoreKit 2 subscriptions cost $4.99 monthly in the US');
    expect(block).toContain('storekit.sandbox');
    expect(block).not.toContain('lunch');
    expect(block).not.toContain('jules');
    // The best match comes first.
    expect(block!.indexOf('storekit.pricing')).toBeLessThan(block!.indexOf('storekit.sandbox'));

    // The task keeps its own prompt; the detail shows what went in.
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } })).prompt).toBe('Summarise StoreKit 2 pricing for the team.');
    const master = testHub.client({ token: testHub.masterToken });
    expect(await master.memory.injected.query({ taskId: task.id })).toEqual({
      taskId: task.id,
      attempts: [{ attemptId: claimed!.attemptId, agentId: 'rex', keys: ['storekit.pricing', 'storekit.sandbox'] }],
    });
    expect((await refusal(jules.client.memory.injected.query({ taskId: task.id }))).httpStatus).toBe(404);

    // A task that matches nothing is handed out as it is.
    await rex.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: 'ok', idempotencyKey: 'done-first-task' });
    const plain = await createTask(testHub, { title: 'Other', prompt: 'Translate the README into French.', assignTo: 'rex' });
    const [second] = await rex.client.tasks.claim.mutate({});
    expect(second).toMatchObject({ taskId: plain.id, prompt: 'Translate the README into French.' });
    expect((await master.memory.injected.query({ taskId: plain.id })).attempts).toEqual([]);
  });

  it('caps the block at 4 KB and honours MESH_MEMORY_INJECT_K', async () => {
    const testHub = await hubForTest({ MESH_MEMORY_INJECT_K: '2' });
    const rex = await registerWorker(testHub, { id: 'rex' });
    for (let index = 0; index < 4; index += 1) {
      await rex.client.memory.store.mutate({ key: `big.${index}`, value: `kangaroo ${'facts '.repeat(600)}${index}` });
    }
    await createTask(testHub, { title: 'kangaroo', prompt: 'Tell me about the kangaroo.', assignTo: 'rex' });
    const [claimed] = await rex.client.tasks.claim.mutate({});
    const block = claimed!.prompt.slice(0, claimed!.prompt.indexOf('[/MEMORY]') + '[/MEMORY]\n\n'.length);
    expect(Buffer.byteLength(block)).toBeLessThanOrEqual(4 * 1024);
    const injected = await testHub.client({ token: testHub.masterToken }).memory.injected.query({ taskId: claimed!.taskId });
    expect(injected.attempts[0]!.keys.length).toBeGreaterThanOrEqual(1);
    expect(injected.attempts[0]!.keys.length).toBeLessThanOrEqual(2);
    expect(claimed!.prompt.endsWith('Tell me about the kangaroo.')).toBe(true);
  });
});

describe('consolidation', () => {
  it('merges duplicates, resolves contradictions, writes cross-agent facts, and logs what it replaced', async () => {
    const testHub = await hubForTest();
    await registerWorker(testHub, { id: 'rex' });
    await registerWorker(testHub, { id: 'jules' });
    const master = testHub.client({ token: testHub.masterToken });
    const store = (agentId: string, key: string, value: string, confidence?: number) => master.memory.store.mutate({ agentId, key, value, confidence, source: 'agent' });

    // Duplicates under different keys (rex).
    await store('rex', 'api.base', 'The API lives at api.example.com', 0.6);
    await store('rex', 'endpoint', 'the api lives at API.EXAMPLE.COM!', 0.9);
    // A contradiction on one subject, equal confidence: the later entry wins (rex).
    await store('rex', 'Deploy-Day', 'Deploys happen on Friday');
    await store('rex', 'deploy.day', 'Deploys happen on Tuesday');
    // A contradiction where confidence differs: the surer (earlier) entry wins (jules).
    await store('jules', 'db.engine', 'We run PostgreSQL 16', 0.9);
    await store('jules', 'db_engine', 'We run MySQL 8', 0.4);
    // A fact both agents hold.
    await store('jules', 'office', 'The office is in Lisbon', 0.7);
    await store('rex', 'hq', 'the office is in lisbon');

    const summary = await master.memory.consolidate.mutate();
    expect(summary).toMatchObject({ merged: 1, resolved: 2, modelMerges: 0 });
    expect(summary.corroborated).toBe(2);

    const rex = Object.fromEntries((await master.memory.list.query({ agentId: 'rex' })).map((entry) => [entry.key, entry]));
    expect(Object.keys(rex).sort()).toEqual(['api.base', 'deploy.day', 'hq']);
    expect(rex['api.base']).toMatchObject({ value: 'The API lives at api.example.com', confidence: 0.9 });
    expect(rex['deploy.day']!.value).toBe('Deploys happen on Tuesday');
    expect(rex.hq).toMatchObject({ source: 'consolidation', confidence: 0.7 });
    const jules = Object.fromEntries((await master.memory.list.query({ agentId: 'jules' })).map((entry) => [entry.key, entry]));
    expect(Object.keys(jules).sort()).toEqual(['db.engine', 'office']);
    expect(jules.office).toMatchObject({ source: 'consolidation', confidence: 0.7 });

    const log = await master.memory.consolidations.query({ agentId: 'rex' });
    const merge = log.find((entry) => entry.action === 'merged_duplicate')!;
    expect(merge.keptKey).toBe('api.base');
    expect(merge.replaced.map((entry) => entry.key).sort()).toEqual(['api.base', 'endpoint']);
    expect(merge.replaced.find((entry) => entry.key === 'endpoint')!.value).toBe('the api lives at API.EXAMPLE.COM!');
    const contradiction = log.find((entry) => entry.action === 'resolved_contradiction')!;
    expect(contradiction).toMatchObject({ keptKey: 'deploy.day' });
    expect(contradiction.replaced).toEqual([expect.objectContaining({ key: 'Deploy-Day', value: 'Deploys happen on Friday' })]);
    const julesLog = await master.memory.consolidations.query({ agentId: 'jules' });
    expect(julesLog.find((entry) => entry.action === 'resolved_contradiction')).toMatchObject({ keptKey: 'db.engine', replaced: [expect.objectContaining({ key: 'db_engine' })] });
    expect(julesLog.find((entry) => entry.action === 'resolved_contradiction')!.summary).toContain('higher confidence');

    // The log's replaced values are encrypted too.
    expect(containsText(databaseBytes(testHub), 'Deploys happen on Friday')).toBe(false);
    // A second pass finds nothing left to do.
    expect((await master.memory.consolidate.mutate()).changes).toEqual([]);
  });

  it('applies the model gateway’s merge proposals when it is configured, recording what they replaced', async () => {
    const anthropic = await startFakeAnthropic({
      reply: (prompt) =>
        prompt.includes('"key":"cat.name"')
          ? `Here you go: {"merges":[{"keep":"cat.name","remove":["pet.name","missing.key"],"value":"bad"},{"keep":"cat.name","remove":["pet.name"],"value":"The cat is called Miso"}]}`
          : '{"merges":[]}',
    });
    cleanups.push(() => anthropic.close());
    const testHub = await hubForTest({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: anthropic.url });
    await registerWorker(testHub, { id: 'rex' });
    const master = testHub.client({ token: testHub.masterToken });
    await master.memory.store.mutate({ agentId: 'rex', key: 'cat.name', value: 'Our cat: Miso' });
    await master.memory.store.mutate({ agentId: 'rex', key: 'pet.name', value: 'the pet is named miso' });
    await master.memory.store.mutate({ agentId: 'rex', key: 'unrelated', value: 'coffee at nine' });

    const summary = await master.memory.consolidate.mutate();
    expect(summary.modelMerges).toBe(1);
    const entries = await master.memory.list.query({ agentId: 'rex' });
    expect(entries.map((entry) => entry.key).sort()).toEqual(['cat.name', 'unrelated']);
    expect(entries.find((entry) => entry.key === 'cat.name')).toMatchObject({ value: 'The cat is called Miso', source: 'consolidation' });
    const [logged] = await master.memory.consolidations.query({ agentId: 'rex' });
    expect(logged).toMatchObject({ action: 'model_merge', keptKey: 'cat.name' });
    expect(logged!.replaced.map((entry) => [entry.key, entry.value])).toEqual([
      ['cat.name', 'Our cat: Miso'],
      ['pet.name', 'the pet is named miso'],
    ]);
    expect(anthropic.requests.length).toBe(1);
  });
});

describe('auto-extract', () => {
  it('a real worker on the anthropic runtime stores the [REMEMBER] blocks of its result and keeps them in the output', async () => {
    const reply = 'StoreKit research done.\n[REMEMBER] storekit.price: $4.99 a month [/REMEMBER]\n[REMEMBER] bad key: skipped [/REMEMBER]\n[REMEMBER] storekit.region: US only [/REMEMBER]';
    const anthropic = await startFakeAnthropic({ reply: () => reply });
    cleanups.push(() => anthropic.close());
    const testHub = await hubForTest();
    const master = testHub.client({ token: testHub.masterToken });
    const { token } = await master.tokens.create.mutate({ agentId: 'scribe', preset: 'worker' });
    const outbox = makeTempDir('m3shd-outbox-');
    const worker = runTypeScript('worker/main.ts', ['--id', 'scribe', '--runtime', 'anthropic', '--model', 'claude-haiku-4-5', '--heartbeat-ms', '300', '--claim-interval-ms', '300', '--max-load', '10000', '--outbox-dir', outbox], {
      MESH_HUB: testHub.url,
      MESH_TOKEN: token,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
    cleanups.push(() => {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      fs.rmSync(outbox, { recursive: true, force: true });
    });
    await worker.waitForOutput('registered with');

    const task = await master.tasks.create.mutate({ title: 'StoreKit', prompt: 'Research StoreKit 2 pricing.', assignTo: 'scribe' });
    await worker.waitForOutput('remembered 2 of 2 [REMEMBER] block(s)');
    const done = await master.tasks.get.query({ taskId: task.id });
    expect(done.status).toBe('done');
    expect(done.output).toContain('[REMEMBER] storekit.price: $4.99 a month [/REMEMBER]');
    const entries = await master.memory.list.query({ agentId: 'scribe' });
    expect(entries.map((entry) => [entry.key, entry.value, entry.source]).sort()).toEqual([
      ['storekit.price', '$4.99 a month', 'agent'],
      ['storekit.region', 'US only', 'agent'],
    ]);

    // The next StoreKit task comes with what the agent remembered.
    await master.tasks.create.mutate({ title: 'StoreKit again', prompt: 'What does StoreKit cost per month?', assignTo: 'scribe' });
    const deadline = Date.now() + 10_000;
    while (!anthropic.requests.some((request) => request.prompt.includes('- storekit.price: $4.99 a month')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(anthropic.requests.some((request) => request.prompt.startsWith('[MEMORY]') && request.prompt.includes('- storekit.price: $4.99 a month'))).toBe(true);
  });
});
