// Task templates and voice dispatch over real HTTP on a real hub (spec sections 16 and 07): the
// seed templates (once per database), CRUD, dispatch with `{variable}` substitution refusing a
// missing or unknown variable and an over-limit prompt with nothing written, and
// POST /api/voice/dispatch with JSON and text/plain, its 401 / 403 / 422 answers.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_TEMPLATES } from '@/lib/templates';
import { startFakeAnthropic } from '../../testing/fake-anthropic';
import { registerWorker } from '../../testing/mesh-fixtures';
import { rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
afterEach(async () => {
  await testHub?.destroy();
});

const master = () => testHub.client({ token: testHub.masterToken });
const bearer = () => ({ Authorization: `Bearer ${testHub.masterToken}` });

async function voice(body: string, headers: Record<string, string>) {
  const response = await fetch(`${testHub.url}/api/voice/dispatch`, { method: 'POST', headers, body });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('task templates', () => {
  it('creates the five seed templates on first start only', async () => {
    testHub = await startTestHub();
    const seeded = await master().templates.list.query();
    expect(seeded.map((template) => template.name).sort()).toEqual(SEED_TEMPLATES.map((template) => template.name).sort());
    expect(seeded.find((template) => template.name === 'Research')!.variables).toEqual(['topic']);
    expect(seeded.find((template) => template.name === 'Code Review')!.variables).toEqual(['target']);

    // An operator deletes one; a restart neither duplicates the others nor brings it back.
    await master().templates.delete.mutate({ templateId: seeded.find((template) => template.name === 'QA')!.id });
    const { dataDir, masterToken, adminPassword } = testHub;
    await testHub.stop();
    testHub = await startTestHub({ dataDir, masterToken, adminPassword });
    const names = (await master().templates.list.query()).map((template) => template.name).sort();
    expect(names).toEqual(['Code Review', 'Research', 'Summarize', 'Write']);
    expect(fs.existsSync(dataDir)).toBe(true);
  });

  it('creates, reads, updates and deletes templates; names are unique', async () => {
    testHub = await startTestHub();
    const created = await master().templates.create.mutate({
      name: 'Translate',
      description: 'Into another language',
      promptTemplate: 'Translate {text} into {language}. Keep {language} idioms; JSON like {"a": 1} stays as it is.',
      capability: 'writing',
      priority: 70,
    });
    expect(created).toMatchObject({ name: 'Translate', variables: ['text', 'language'], capability: 'writing', priority: 70, createdBy: 'master' });
    expect(await master().templates.get.query({ templateId: created.id })).toEqual(created);
    const duplicate = await rawCall(testHub.url, 'templates.create', { type: 'mutation', headers: bearer(), input: { name: 'translate', promptTemplate: 'x {y}' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toBe('name: a template named "translate" exists already');

    const updated = await master().templates.update.mutate({ templateId: created.id, priority: 10, capability: null });
    expect(updated).toMatchObject({ priority: 10, capability: null, name: 'Translate' });
    await master().templates.delete.mutate({ templateId: created.id });
    const gone = await rawCall(testHub.url, 'templates.get', { type: 'query', headers: bearer(), input: { templateId: created.id } });
    expect(gone.status).toBe(404);
    const tooBig = await rawCall(testHub.url, 'templates.create', { type: 'mutation', headers: bearer(), input: { name: 'Huge', promptTemplate: 'x'.repeat(9_000) } });
    expect(tooBig.status).toBe(400);
    expect(JSON.stringify(tooBig.body)).toContain('promptBytes');
  });

  it('dispatches with variables; a missing or unknown variable or an over-limit prompt is refused, naming it, with nothing written', async () => {
    testHub = await startTestHub();
    const research = (await master().templates.list.query()).find((template) => template.name === 'Research')!;
    const before = await testHub.hub.db.task.count();

    const missing = await rawCall(testHub.url, 'templates.dispatch', { type: 'mutation', headers: bearer(), input: { templateId: research.id, variables: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('variables.topic: missing: the template needs {topic}');
    expect(missing.body.error.data.field).toBe('variables.topic');
    const blank = await rawCall(testHub.url, 'templates.dispatch', { type: 'mutation', headers: bearer(), input: { templateId: research.id, variables: { topic: '  ' } } });
    expect(blank.body.error.message).toBe('variables.topic: missing: the template needs {topic}');
    const unknown = await rawCall(testHub.url, 'templates.dispatch', {
      type: 'mutation',
      headers: bearer(),
      input: { templateId: research.id, variables: { topic: 'tides', depth: 'deep' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('variables.depth: unknown variable; this template takes {topic}');
    const long = await master().templates.create.mutate({ name: 'Echo', promptTemplate: '{a} {b}' });
    const over = await rawCall(testHub.url, 'templates.dispatch', {
      type: 'mutation',
      headers: bearer(),
      input: { templateId: long.id, variables: { a: 'x'.repeat(4_096), b: 'y'.repeat(4_096) } },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('exceeds the 8 KB limit (promptBytes)');
    expect(await testHub.hub.db.task.count()).toBe(before);

    const { task } = await master().templates.dispatch.mutate({ templateId: research.id, variables: { topic: 'ocean tides' } });
    const stored = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stored).toMatchObject({ title: 'Research: ocean tides', priority: research.priority, requiredCapability: research.capability, createdBy: 'master' });
    expect(stored.prompt).toBe(research.promptTemplate.replace('{topic}', 'ocean tides'));
  });
});

describe('voice dispatch', () => {
  it('matches a sentence to a template, fills its variable and answers one sentence (JSON and text/plain)', async () => {
    testHub = await startTestHub();
    // No agent yet.
    const early = await voice(JSON.stringify({ text: 'Write release notes for 2.1' }), { ...bearer(), 'Content-Type': 'application/json' });
    expect(early).toMatchObject({ status: 200, text: 'Write task queued; no agent is online yet.\n' });
    expect(early.type).toContain('text/plain');

    await registerWorker(testHub, { id: 'rex', maxConcurrent: 4 });
    const asJson = await voice(JSON.stringify({ text: 'research StoreKit 2 pricing' }), { ...bearer(), 'Content-Type': 'application/json' });
    expect(asJson).toMatchObject({ status: 200, text: 'Research task queued for rex.\n' });
    const task = await testHub.hub.db.task.findFirstOrThrow({ where: { title: 'Research: StoreKit 2 pricing' } });
    expect(task).toMatchObject({ status: 'assigned', assignedTo: 'rex' });
    expect(task.prompt).toContain('Research StoreKit 2 pricing.');

    const asText = await voice('Hey mesh, please summarize the Q3 board deck.', { ...bearer(), 'Content-Type': 'text/plain', Accept: 'application/json' });
    expect(asText.status).toBe(200);
    expect(asText.type).toContain('application/json');
    const body = JSON.parse(asText.text);
    expect(body).toMatchObject({ message: 'Summarize task queued for rex.', template: 'Summarize', variables: { target: 'the Q3 board deck' }, agentId: 'rex', matchedBy: 'rule' });
    expect((await testHub.hub.db.task.findUniqueOrThrow({ where: { id: body.taskId } })).prompt).toContain('Summarize the Q3 board deck.');

    // The worker preset has voice:dispatch.
    const workerToken = (await master().tokens.create.mutate({ agentId: 'siri', preset: 'worker' })).token;
    expect((await voice('review the payments module', { Authorization: `Bearer ${workerToken}` })).text).toBe('Code Review task queued for rex.\n');
  });

  it('answers 401 for a wrong token, 403 without voice:dispatch, 422 for no match, 400 for a bad body; nothing is created', async () => {
    testHub = await startTestHub();
    const before = await testHub.hub.db.task.count();
    expect(await voice('research tides', { Authorization: 'Bearer not-a-real-token-at-all' })).toMatchObject({ status: 401, text: 'The hub did not accept this token.\n' });
    expect((await voice('research tides', {})).status).toBe(401);
    const mobileToken = (await master().tokens.create.mutate({ agentId: 'phone', preset: 'mobile' })).token;
    const forbidden = await voice('research tides', { Authorization: `Bearer ${mobileToken}` });
    expect(forbidden).toMatchObject({ status: 403, text: 'This token may not dispatch by voice: it needs the voice:dispatch permission.\n' });

    const noMatch = await voice('order a large pizza', { ...bearer(), 'Content-Type': 'text/plain' });
    expect(noMatch.status).toBe(422);
    expect(noMatch.text).toBe('I heard "order a large pizza", but it matches no template. Start with one of: Code Review, QA, Research, Summarize, Write.\n');
    const incomplete = await voice(JSON.stringify({ text: 'research' }), { ...bearer(), 'Content-Type': 'application/json', Accept: 'application/json' });
    expect(incomplete.status).toBe(422);
    expect(JSON.parse(incomplete.text)).toEqual({ error: { message: 'I understood Research, but not the topic. Say "research <topic>".', code: 'not_understood' } });
    const badJson = await voice('{"text": ', { ...bearer(), 'Content-Type': 'application/json' });
    expect(badJson.status).toBe(400);
    const empty = await voice(JSON.stringify({ text: '   ' }), { ...bearer(), 'Content-Type': 'application/json' });
    expect(empty).toMatchObject({ status: 400, text: 'text: say what to do, e.g. "research StoreKit 2 pricing"\n' });
    expect(await voice(`research ${'x'.repeat(1_200)}`, { ...bearer(), 'Content-Type': 'text/plain' })).toMatchObject({ status: 400, text: 'text: at most 1,000 characters\n' });
    expect(await voice(JSON.stringify({ text: 'x'.repeat(1_200) }), { ...bearer(), 'Content-Type': 'application/json' })).toMatchObject({ status: 400, text: 'text: at most 1,000 characters\n' });
    const get = await fetch(`${testHub.url}/api/voice/dispatch`, { headers: bearer() });
    expect(get.status).toBe(405);
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('asks the hub\'s model only when the rule finds nothing, and checks its pick against the templates', async () => {
    const fake = await startFakeAnthropic({
      reply: (prompt) =>
        prompt.includes('what the tide tables say') ? '{"template": "Research", "value": "tide tables"}' : '{"template": "Order Pizza", "value": "large"}',
    });
    try {
      testHub = await startTestHub({ env: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: fake.url } });
      const rule = await voice('research tides', { ...bearer(), Accept: 'application/json' });
      expect(JSON.parse(rule.text)).toMatchObject({ matchedBy: 'rule', template: 'Research' });
      expect(fake.requests).toHaveLength(0);

      const byModel = await voice('find me what the tide tables say', { ...bearer(), Accept: 'application/json' });
      expect(byModel.status).toBe(200);
      expect(JSON.parse(byModel.text)).toMatchObject({ matchedBy: 'model', template: 'Research', variables: { topic: 'tide tables' } });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]!.prompt).toContain('Request: find me what the tide tables say');

      // A pick outside the list changes nothing: still a 422.
      const invented = await voice('order a large pizza', bearer());
      expect(invented.status).toBe(422);
      expect(await testHub.hub.db.task.count()).toBe(2);
    } finally {
      await fake.close();
    }
  });
});

