// chat.send over real HTTP: every command of spec section 07 against a real hub, the answers of
// agents coming back to the chat, permissions refused by name, the limits, and `auto` / `summary`
// through the model gateway against the fake Anthropic API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '@/lib/hub-client';
import { LIMITS } from '@/lib/limits';
import { collectEvents, waitForSubscribers, type EventCollector } from '../../testing/event-collector';
import { startFakeAnthropic, type FakeAnthropic } from '../../testing/fake-anthropic';
import { createTask, registerWorker, runClaimed, type TestWorker } from '../../testing/mesh-fixtures';
import { loginCookie, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

type ChatClient = Pick<HubClient, 'chat'>;

async function say(client: ChatClient, content: string): Promise<string> {
  const { reply } = await client.chat.send.mutate({ content });
  return reply!.content;
}

describe('chat commands without a model', () => {
  let testHub: TestHub;
  let master: HubClient;
  let stream: EventCollector;
  let archon: TestWorker;
  let rex: TestWorker;

  beforeAll(async () => {
    testHub = await startTestHub();
    master = testHub.client({ token: testHub.masterToken });
    archon = await registerWorker(testHub, { id: 'archon', maxConcurrent: 1 });
    rex = await registerWorker(testHub, { id: 'rex', maxConcurrent: 2 });
    stream = collectEvents(master);
    await waitForSubscribers(testHub, 1);
  });

  afterAll(async () => {
    stream.stop();
    await testHub.destroy();
  });

  it('stores the message, answers as the hub on the same channel, and publishes both', async () => {
    const { message, reply } = await master.chat.send.mutate({ content: 'status', channel: 'ops' });
    expect(message).toMatchObject({ sender: 'operator', senderType: 'user', channel: 'ops', content: 'status' });
    expect(reply).toMatchObject({ sender: 'system', senderType: 'system', channel: 'ops' });
    const page = await master.messages.list.query({ channel: 'ops' });
    expect(page.messages.map((row) => row.id)).toEqual([reply!.id, message.id]);
    await stream.waitFor('message_posted', (event) => event.payload.messageId === reply!.id && event.payload.senderType === 'system');
  });

  it('status: agents online, busy and offline with their task counts', async () => {
    const answer = await say(master, '  STATUS ');
    expect(answer).toContain('Agents: 2 online · 0 busy · 0 offline');
    expect(answer).toContain('🟢 archon — online, 0/1 tasks');
    expect(answer).toContain('🟢 rex — online, 0/2 tasks');
    expect(answer).toContain('Active tasks: 0 running · 0 assigned · 0 queued');
  });

  it('tasks: the 10 most recent, newest first, with status icons and a link', async () => {
    for (let index = 1; index <= 12; index += 1) await createTask(testHub, { title: `queued job ${index}`, requiredCapability: 'nobody-has-this' });
    const answer = await say(master, 'tasks');
    const lines = answer.split('\n');
    expect(lines[0]).toBe('The 10 most recent tasks:');
    expect(lines.filter((line) => line.startsWith('⏳ '))).toHaveLength(10);
    expect(lines[1]).toBe('⏳ queued job 12 · unassigned · queued');
    expect(answer).not.toContain('queued job 2 ');
    expect(lines.at(-1)).toBe('All tasks: /tasks');
    expect(await say(master, 'status')).toContain('Active tasks: 0 running · 0 assigned · 12 queued');
  });

  it('@context key=val sets an entry as the caller; @context lists them; @contextual is not the command', async () => {
    expect(await say(master, '@context')).toBe('The shared context is empty. Set an entry with @context key=value.');
    expect(await say(master, '@context deploy=friday')).toBe('Context set: deploy = friday');
    expect(await master.context.get.query({ key: 'deploy' })).toMatchObject({ value: 'friday', setBy: 'master' });
    await stream.waitFor('context_updated', (event) => event.payload.key === 'deploy');
    await say(master, '@Context  region = eu-west=1 ');
    expect(await say(master, '@context')).toBe('Shared context:\ndeploy = friday\nregion = eu-west=1');
    expect(await say(master, '@context deploy')).toBe('Usage: @context key=value');
    expect(await say(master, '@contextual hello')).toBe('No agent named contextual. Agents: archon, rex.');
  });

  it('@<agent> <text> makes a task for that agent and posts its answer back as the agent', async () => {
    const { message, reply } = await master.chat.send.mutate({ content: '@rex research the market' });
    const taskId = /task (\S+) \(/.exec(reply!.content)?.[1];
    expect(reply!.content).toBe(`Sent to rex as task ${taskId} (/tasks/${taskId}); the answer will be posted here.`);
    await testHub.hub.dispatcher.settled();
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ assignTo: 'rex', assignedTo: 'rex', status: 'assigned', prompt: 'research the market', title: 'research the market', createdBy: 'master' });

    await runClaimed(rex, 'The market is growing.');
    const answer = await stream.waitFor('message_posted', (event) => event.payload.senderType === 'agent' && event.payload.sender === 'rex');
    expect(answer.payload).toMatchObject({ content: 'The market is growing.', channel: 'general', replyTo: message.id });
    expect(testHub.hub.chat.awaitingAnswers).toBe(0);
    // Idle again: the relay's internal subscription is closed, only the test's stream remains.
    expect(testHub.hub.events.stats().subscribers).toBe(1);

    expect(await say(master, '@rex')).toBe('Usage: @rex <text>');
    const before = await testHub.hub.db.task.count();
    expect(await say(master, '@ghost do something')).toBe('No agent named ghost. Agents: archon, rex.');
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('# <text> is a note: stored and broadcast, no reply, no task row, whatever it says', async () => {
    const tasksBefore = await testHub.hub.db.task.count();
    for (const content of ['# lunch at noon, back at 1', '  #@rex do not start anything', '#status']) {
      const { message, reply } = await master.chat.send.mutate({ content });
      expect(reply).toBeNull();
      expect(message).toMatchObject({ content, sender: 'operator', senderType: 'user' });
      await stream.waitFor('message_posted', (event) => event.payload.messageId === message.id);
      const stored = await testHub.hub.db.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(stored.content).toBe(content);
    }
    expect(await testHub.hub.db.task.count()).toBe(tasksBefore);
    const page = await master.messages.list.query({ limit: 3 });
    expect(page.messages.every((row) => row.senderType === 'user')).toBe(true);
  });

  it('do <text>: a task for the primary agent with the shared context; its answer comes back from it', async () => {
    const { message, reply } = await master.chat.send.mutate({ content: 'do Write the release notes' });
    const taskId = /task (\S+)\)/.exec(reply!.content)?.[1];
    expect(reply!.content).toBe(`Asked archon (task ${taskId}); the answer will be posted here.`);
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.title).toBe('Write the release notes');
    expect(task.assignTo).toBe('archon');
    expect(task.prompt).toBe('Write the release notes\n\nShared context of the mesh:\n- deploy = friday\n- region = eu-west=1');
    await testHub.hub.dispatcher.settled();
    await runClaimed(archon, 'Release notes: all good.');
    const answer = await stream.waitFor('message_posted', (event) => event.payload.sender === 'archon' && event.payload.replyTo === message.id);
    expect(answer.payload).toMatchObject({ senderType: 'agent', content: 'Release notes: all good.' });
  });

  it('free chat: a conversation task for the primary agent; a cancelled one says so', async () => {
    const { message, reply } = await master.chat.send.mutate({ content: 'How is the mesh today?' });
    const taskId = /task (\S+)\)/.exec(reply!.content)?.[1]!;
    const task = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.title).toBe('chat: How is the mesh today?');
    expect(task.prompt).toMatch(/^Recent conversation in the mesh chat \(#general\):\n/);
    expect(task.prompt).toContain('archon: Release notes: all good.');
    expect(task.prompt.endsWith('Answer the last message:\noperator: How is the mesh today?')).toBe(true);
    await testHub.hub.dispatcher.settled();
    await runClaimed(archon, 'All agents are healthy.');
    await stream.waitFor('message_posted', (event) => event.payload.sender === 'archon' && event.payload.replyTo === message.id);

    const second = await master.chat.send.mutate({ content: 'and tomorrow?' });
    const secondId = /task (\S+)\)/.exec(second.reply!.content)?.[1]!;
    await master.tasks.cancel.mutate({ taskId: secondId });
    const note = await stream.waitFor('message_posted', (event) => event.payload.content === `Task ${secondId} was cancelled; no answer will come.`);
    expect(note.payload.senderType).toBe('system');
  });

  it('follows a handoff: the continuation’s answer comes back, from the agent that finished it', async () => {
    const { message, reply } = await master.chat.send.mutate({ content: 'do summarise the logs' });
    const taskId = /task (\S+)\)/.exec(reply!.content)?.[1]!;
    await testHub.hub.dispatcher.settled();
    const [claimed] = await archon.client.tasks.claim.mutate({});
    expect(claimed!.taskId).toBe(taskId);
    const { continuationTaskId } = await archon.client.tasks.handoff.mutate({ taskId, attemptId: claimed!.attemptId, partialOutput: 'half done' });
    await testHub.hub.dispatcher.settled();
    const continuation = await testHub.hub.db.task.findUniqueOrThrow({ where: { id: continuationTaskId } });
    const finisher = continuation.assignedTo === 'rex' ? rex : archon;
    await runClaimed(finisher, 'Logs summarised.');
    const answer = await stream.waitFor('message_posted', (event) => event.payload.replyTo === message.id && event.payload.senderType === 'agent');
    expect(answer.payload).toMatchObject({ sender: finisher.id, content: 'Logs summarised.' });
    expect(testHub.hub.chat.awaitingAnswers).toBe(0);
  });

  it('approve / reject decide the most recent pending approval; pending lists them', async () => {
    expect(await say(master, 'pending')).toBe('No pending approvals.');
    const first = await rex.client.approvals.create.mutate({ action: 'deploy site', description: 'ship v2' });
    const second = await rex.client.approvals.create.mutate({ action: 'drop table' });
    const pending = await say(master, 'pending');
    expect(pending.split('\n')).toEqual([
      '2 pending approvals (newest first):',
      '⏳ rex: drop table (expires in 60 min)',
      '⏳ rex: deploy site — ship v2 (expires in 60 min)',
      'Answer approve or reject to decide the newest.',
    ]);
    expect(await say(master, 'Reject')).toBe('Rejected: drop table (requested by rex). 1 more pending.');
    expect(await say(master, 'approve')).toBe('Approved: deploy site (requested by rex).');
    expect(await say(master, 'approve')).toBe('No pending approvals.');
    const rows = await testHub.hub.db.approval.findMany({ where: { id: { in: [first.id, second.id] } }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.status, row.decidedBy])).toEqual([
      ['approved', 'master'],
      ['rejected', 'master'],
    ]);
  });

  it('refuses by name: a viewer cannot send at all, a chat-only token cannot approve, an agent never decides', async () => {
    const approval = await rex.client.approvals.create.mutate({ action: 'restart db' });
    await master.users.create.mutate({ username: 'vera', role: 'viewer', password: 'vera-chat-password' });
    const viewerCookie = await loginCookie(testHub.url, { username: 'vera', password: 'vera-chat-password' });
    const before = await testHub.hub.db.message.count();
    const viewer = await rawCall(testHub.url, 'chat.send', { type: 'mutation', input: { content: 'approve' }, headers: { Cookie: viewerCookie, Origin: testHub.url } });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toBe('missing permission messages:write');
    expect(await testHub.hub.db.message.count()).toBe(before);

    const { token } = await master.tokens.create.mutate({ agentId: 'chat-bridge', permissions: ['messages:read', 'messages:write'] });
    const bridge = testHub.client({ token });
    expect(await say(bridge, 'approve')).toBe('Refused: missing permission tasks:write.');
    expect(await say(bridge, 'status')).toBe('Refused: missing permission agents:read.');
    expect(await say(bridge, 'do something')).toBe('Refused: missing permission tasks:write.');
    expect(await say(bridge, '@context')).toContain('deploy = friday');

    expect(await say(rex.client, 'approve')).toBe('only an operator can decide approvals');
    expect((await testHub.hub.db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('pending');
    expect(await say(master, 'reject')).toBe('Rejected: restart db (requested by rex).');
  });

  it('costs: today by agent; an agent token sees only its own', async () => {
    await rex.client.costs.log.mutate({ model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 500 });
    await archon.client.costs.log.mutate({ model: 'claude-sonnet-4-5', inputTokens: 2000, outputTokens: 0 });
    const answer = await say(master, '@costs');
    expect(answer.split('\n')).toEqual([
      'Today (UTC): $0.0165 · 3,500 tokens',
      'rex — $0.0105 · 1,500 tokens (1,000 in / 500 out)',
      'archon — $0.0060 · 2,000 tokens (2,000 in / 0 out)',
    ]);
    expect(await say(master, 'costs')).toBe(answer);
    const own = await say(rex.client, 'costs');
    expect(own).toContain('rex —');
    expect(own).not.toContain('archon');
  });

  it('escalations: the open ones', async () => {
    expect(await say(master, 'escalations')).toBe('No open escalations.');
    const task = await createTask(testHub, { title: 'flaky', requiredCapability: 'nobody-has-this' });
    await testHub.hub.escalations.escalate({ fromAgent: 'rex', taskId: task.id, reason: 'disk full' });
    const done = await testHub.hub.escalations.escalate({ fromAgent: 'archon', taskId: null, reason: 'old news' });
    await master.escalations.resolve.mutate({ escalationId: done.id });
    expect(await say(master, 'escalations')).toBe(`1 open escalation:\n⚠️ rex → operator: disk full (task ${task.id})`);
  });

  it('auto and summary name ANTHROPIC_API_KEY when no model is configured', async () => {
    expect(testHub.hub.llm.configured).toBe(false);
    const before = await testHub.hub.db.task.count();
    const auto = await say(master, 'auto launch the beta');
    expect(auto).toMatch(/^auto needs a model\. .*ANTHROPIC_API_KEY/);
    expect(await say(master, 'summary')).toMatch(/^summary needs a model\. .*ANTHROPIC_API_KEY/);
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('usage lines for commands without their argument', async () => {
    expect(await say(master, 'do')).toBe('Usage: do <text>');
    expect(await say(master, 'auto')).toBe('Usage: auto <goal>');
  });

  it('limits: over 50 KB is refused before anything is stored; a task text over 8 KB is not sent', async () => {
    const messagesBefore = await testHub.hub.db.message.count();
    const tooLong = await rawCall(testHub.url, 'chat.send', {
      type: 'mutation',
      input: { content: 'x'.repeat(LIMITS.messageBytes + 1) },
      headers: { Authorization: `Bearer ${testHub.masterToken}` },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.data).toMatchObject({ field: 'content', limit: 'messageBytes' });
    expect(await testHub.hub.db.message.count()).toBe(messagesBefore);

    const tasksBefore = await testHub.hub.db.task.count();
    expect(await say(master, `do ${'y'.repeat(LIMITS.promptBytes + 1)}`)).toBe('Not sent: the text exceeds the 8 KB prompt limit (promptBytes).');
    expect(await say(master, `@rex ${'y'.repeat(LIMITS.promptBytes + 1)}`)).toBe('Not sent: prompt exceeds the 8 KB limit (promptBytes).');
    expect(await testHub.hub.db.task.count()).toBe(tasksBefore);
  });
});

describe('chat commands through the model gateway', () => {
  let fake: FakeAnthropic;
  let testHub: TestHub;
  let master: HubClient;
  let modelReply: (prompt: string) => string;
  const savedBaseUrl = process.env.ANTHROPIC_BASE_URL;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: 'sk-chat-test', reply: (prompt) => modelReply(prompt) });
    // The SDK would read these; the hub must use only its own config.
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9';
    testHub = await startTestHub({ env: { ANTHROPIC_API_KEY: 'sk-chat-test', ANTHROPIC_BASE_URL: fake.url, MESH_HUB_MODEL: 'claude-haiku-4-5' } });
    master = testHub.client({ token: testHub.masterToken });
  });

  afterAll(async () => {
    if (savedBaseUrl === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = savedBaseUrl;
    await testHub.destroy();
    await fake.close();
  });

  it('auto splits the goal with the model, creates the subtasks and links to /tasks', async () => {
    modelReply = () =>
      '```json\n' +
      JSON.stringify([
        { title: 'Write the landing page', prompt: 'Write copy for the beta landing page.' },
        { title: 'Email the waitlist', prompt: 'Draft the invitation email.' },
        { title: 'Set up analytics', prompt: 'Add signup tracking.' },
      ]) +
      '\n```';
    const answer = await say(master, 'auto launch the beta');
    const lines = answer.split('\n');
    expect(lines[0]).toBe('Split "launch the beta" into 3 tasks:');
    expect(lines.at(-1)).toBe('Track them at /tasks');
    const ids = lines.slice(1, 4).map((line) => / — (\S+)$/.exec(line)?.[1]);
    const tasks = await testHub.hub.db.task.findMany({ where: { id: { in: ids as string[] } }, orderBy: { id: 'asc' } });
    expect(tasks.map((task) => task.title)).toEqual(['Write the landing page', 'Email the waitlist', 'Set up analytics']);
    expect(tasks[0]!.prompt).toBe('Write copy for the beta landing page.\n\nThis is part of the goal: launch the beta');
    expect(fake.requests.at(-1)).toMatchObject({ model: 'claude-haiku-4-5', prompt: 'Goal: launch the beta', stream: false });
    // The hub's own model use is costed under "hub".
    const cost = await testHub.hub.db.costLog.findFirstOrThrow({ where: { agentId: 'hub' } });
    expect(cost).toMatchObject({ model: 'claude-haiku-4-5', inputTokens: 6 });
  });

  it('auto dispatches nothing when the model answers without a list', async () => {
    modelReply = () => 'I would rather not.';
    const before = await testHub.hub.db.task.count();
    expect(await say(master, 'auto something vague')).toBe('The model did not return a subtask list, so nothing was dispatched. It said: I would rather not.');
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('auto refuses a split into one subtask (it needs 2 to 5)', async () => {
    modelReply = () => JSON.stringify([{ title: 'Do everything', prompt: 'Launch it all at once.' }]);
    const before = await testHub.hub.db.task.count();
    expect(await say(master, 'auto launch the beta')).toBe(
      'The model split the goal into only 1 subtask, and auto needs 2 to 5, so nothing was dispatched. Rephrase the goal, or send it as a single task with "do <text>".',
    );
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('auto dispatches at most 5 subtasks and says how many the model proposed', async () => {
    modelReply = () => JSON.stringify(Array.from({ length: 7 }, (_, index) => ({ title: `Part ${index + 1}`, prompt: `Do part ${index + 1}.` })));
    const before = await testHub.hub.db.task.count();
    const lines = (await say(master, 'auto a big goal')).split('\n');
    expect(lines[0]).toBe('Split "a big goal" into 5 tasks (the model proposed 7; auto dispatches at most 5):');
    expect(lines.slice(1, 6).map((line) => line.split(' — ')[0])).toEqual(['1. Part 1', '2. Part 2', '3. Part 3', '4. Part 4', '5. Part 5']);
    expect(await testHub.hub.db.task.count()).toBe(before + 5);
  });

  it('summary summarises the outputs of the most recent done tasks', async () => {
    // The subtasks `auto` queued above would go to the first worker; only these two are wanted here.
    for (const queued of await testHub.hub.db.task.findMany({ where: { status: 'queued' } })) await master.tasks.cancel.mutate({ taskId: queued.id });
    const worker = await registerWorker(testHub, { id: 'rex', maxConcurrent: 4 });
    await createTask(testHub, { title: 'Research pricing', assignTo: 'rex' });
    await runClaimed(worker, 'Competitors charge $20 a month.');
    await createTask(testHub, { title: 'Check uptime', assignTo: 'rex' });
    await runClaimed(worker, 'Uptime was 99.95% last week.');
    modelReply = (prompt) => (prompt.startsWith('Recently finished tasks') ? '- Pricing: $20/month\n- Uptime fine' : 'unexpected');
    const answer = await say(master, 'summary');
    expect(answer).toBe('Summary of the last 2 finished tasks:\n- Pricing: $20/month\n- Uptime fine');
    const prompt = fake.requests.at(-1)!.prompt;
    expect(prompt).toContain('## Check uptime (by rex)\nUptime was 99.95% last week.');
    expect(prompt).toContain('## Research pricing (by rex)\nCompetitors charge $20 a month.');
    expect(prompt.indexOf('Check uptime')).toBeLessThan(prompt.indexOf('Research pricing'));
  });

  it('a failing model call is answered with the reason, without the key', async () => {
    const broken = await startTestHub({ env: { ANTHROPIC_API_KEY: 'sk-wrong-key', ANTHROPIC_BASE_URL: fake.url } });
    try {
      const answer = await say(broken.client({ token: broken.masterToken }), 'auto anything');
      expect(answer).toBe('The model call failed: authentication failed (HTTP 401); check ANTHROPIC_API_KEY');
      expect(answer).not.toContain('sk-wrong-key');
    } finally {
      await broken.destroy();
    }
  });
});
