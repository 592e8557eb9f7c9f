// The operator CLI as a real process (`tsx daemon/mesh.ts`) against a real hub on a port: what
// it prints, its exit codes, and what it changes in the hub's database. The worker that finishes
// tasks is simulated in-test with the typed client.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSubscribers } from '../src/testing/event-collector';
import { runToCompletion, runTypeScript } from '../src/testing/hub-process';
import { registerWorker, type TestWorker } from '../src/testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../src/testing/test-hub';

const MESH = 'daemon/mesh.ts';

let testHub: TestHub;
let rex: TestWorker;
let env: Record<string, string>;

beforeAll(async () => {
  // One failed attempt fails the task, so `task --wait` on a failing task ends at once.
  testHub = await startTestHub({ env: { MESH_MAX_ATTEMPTS: '1' } });
  env = { MESH_HUB: testHub.url, MESH_TOKEN: testHub.masterToken };
  rex = await registerWorker(testHub, { id: 'rex', capabilities: ['research'], maxConcurrent: 2 });
});

afterAll(async () => {
  await testHub.destroy();
});

const mesh = (args: string[], extraEnv: Record<string, string> = {}) => runToCompletion(MESH, args, { ...env, ...extraEnv });
const stderrLines = (stderr: string) => stderr.split('\n').filter((line) => line.trim().length > 0);

/** The task a CLI process created, once it exists, and after the dispatch it triggered. */
async function taskWithPrompt(prompt: string) {
  for (let tries = 0; tries < 600; tries += 1) {
    const task = await testHub.hub.db.task.findFirst({ where: { prompt } });
    if (task) {
      await testHub.hub.dispatcher.settled();
      return testHub.hub.db.task.findUniqueOrThrow({ where: { id: task.id } });
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no task with prompt "${prompt}"`);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mesh status and agents', () => {
  it('show the registered worker, and skip a section the token may not read', async () => {
    const master = testHub.client({ token: testHub.masterToken });
    const { token: agentsOnly } = await master.tokens.create.mutate({ agentId: 'watcher', permissions: ['agents:read'] });
    const [status, agents, limited] = await Promise.all([mesh(['status']), mesh(['agents']), mesh(['status'], { MESH_TOKEN: agentsOnly })]);

    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^hub\s+http:\/\/127\.0\.0\.1:\d+\s+ok \(version /m);
    expect(status.stdout).toMatch(/^agents\s+1 online, 0 busy, 0 offline$/m);
    expect(status.stdout).toMatch(/^\s+rex\s+online\s+0\/2 slots\s+research$/m);
    expect(status.stdout).toMatch(/^tasks\s+0 queued, 0 assigned, 0 running$/m);
    expect(status.stdout).toMatch(/^cost\s+\$0\.0000 today/m);

    expect(agents.code).toBe(0);
    expect(agents.stdout).toMatch(/^ID\s+STATUS\s+KIND\s+SLOTS\s+CAPABILITIES\s+BREAKER\s+SEEN$/m);
    expect(agents.stdout).toMatch(/^rex\s+online\s+desktop\s+0\/2\s+research\s+closed\s+\d+s ago$/m);

    expect(limited.code).toBe(0);
    expect(limited.stdout).toMatch(/^\s+rex\s+online/m);
    expect(limited.stdout).toMatch(/^tasks\s+\(not shown: missing permission tasks:read\)$/m);
    expect(limited.stdout).toMatch(/^cost\s+\(not shown: missing permission tasks:read\)$/m);
  });
});

describe('mesh task --wait', () => {
  it('prints the output of the task a worker completes, and exits 0', async () => {
    const prompt = 'what is six times seven?';
    const subscribers = testHub.hub.events.stats().subscribers;
    const cli = runTypeScript(MESH, ['task', prompt, '--capability', 'research', '--wait', '--timeout', '20'], env);

    const task = await taskWithPrompt(prompt);
    expect(task.assignedTo).toBe('rex');
    // Finish only once the CLI follows the event stream, so the completion reaches it as an event.
    await waitForSubscribers(testHub, subscribers + 1);
    const [claimed] = await rex.client.tasks.claim.mutate({});
    expect(claimed?.taskId).toBe(task.id);
    await rex.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: 'the answer', idempotencyKey: `done-${claimed!.attemptId}` });

    const { code } = await cli.exited();
    expect(code).toBe(0);
    expect(cli.output()).toBe('the answer\n');
    expect(cli.errors()).toContain(`created task ${task.id}`);
  });

  it('exits 1 with one line naming the failure when the task fails', async () => {
    const prompt = 'divide by zero';
    const cli = runTypeScript(MESH, ['task', prompt, '--to', 'rex', '--wait', '--timeout', '20'], env);

    const task = await taskWithPrompt(prompt);
    const [claimed] = await rex.client.tasks.claim.mutate({});
    expect(claimed?.taskId).toBe(task.id);
    await rex.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'failed', error: 'the model refused', idempotencyKey: `failed-${claimed!.attemptId}` });

    const { code } = await cli.exited();
    expect(code).toBe(1);
    expect(cli.output()).toBe('');
    expect(stderrLines(cli.errors()).at(-1)).toBe(`mesh: task ${task.id} failed: the model refused`);
  });
});

describe('mesh tasks --why', () => {
  it('prints why each waiting task is not running', async () => {
    const master = testHub.client({ token: testHub.masterToken });
    const gpu = await master.tasks.create.mutate({ title: 'render frames', prompt: 'render', requiredCapability: 'gpu' });
    await testHub.hub.dispatcher.settled();
    const [{ code, stdout, stderr }, without] = await Promise.all([mesh(['tasks', '--status', 'queued', '--why']), mesh(['tasks', '--status', 'queued'])]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^why waiting:$/m);
    expect(stdout).toMatch(new RegExp(`^  ${gpu.id}\\s+no online agent offers \`gpu\`$`, 'm'));
    expect(without.stdout).toContain(gpu.id);
    expect(without.stdout).not.toContain('why waiting');
    await master.tasks.cancel.mutate({ taskId: gpu.id });
  });
});

describe('mesh errors', () => {
  it('are one line on stderr with exit code 1 for failures and 2 for usage mistakes', async () => {
    const wrongToken = 'm3shd_ag_this-token-does-not-exist-0123456789';
    const port = await closedPort();
    const [refused, unreachable, forbidden, usage, noToken] = await Promise.all([
      mesh(['agents'], { MESH_TOKEN: wrongToken }),
      mesh(['status'], { MESH_HUB: `http://127.0.0.1:${port}` }),
      mesh(['token', 'list'], { MESH_TOKEN: rex.token }),
      mesh(['tasks', '--limit', 'many']),
      mesh(['agents'], { MESH_TOKEN: '' }),
    ]);

    expect(refused.code).toBe(1);
    expect(stderrLines(refused.stderr)).toEqual(['mesh: the hub refused the token (401): invalid or revoked token']);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).not.toContain(wrongToken);

    expect(unreachable.code).toBe(1);
    expect(stderrLines(unreachable.stderr)).toEqual([`mesh: cannot reach the hub at http://127.0.0.1:${port} (connection refused)`]);

    expect(forbidden.code).toBe(1);
    expect(stderrLines(forbidden.stderr)).toEqual(['mesh: permission denied (403): missing permission admin:tokens']);

    expect(usage.code).toBe(2);
    expect(stderrLines(usage.stderr)).toEqual(['mesh: --limit must be a whole number from 1 to 500 (got "many") (see: npm run mesh -- help)']);

    expect(noToken.code).toBe(2);
    expect(stderrLines(noToken.stderr)).toHaveLength(1);
    expect(noToken.stderr).toContain('set MESH_TOKEN (or pass --token)');
  });

  it('--help documents every command and flag', async () => {
    const help = await mesh(['--help'], { MESH_TOKEN: '' });
    expect(help.code).toBe(0);
    for (const command of ['status', 'agents', 'tasks', 'task "prompt"', 'post "message"', 'chat "text"', 'tail', 'token create', 'token list', 'token revoke']) {
      expect(help.stdout).toContain(`mesh ${command}`);
    }
    for (const flag of ['--status', '--limit', '--title', '--capability', '--priority', '--to', '--wait', '--timeout', '--channel', '--no-wait', '--types', '--agent', '--preset', '--label', '--hub', '--token', '--help']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${flag}\\b`, 'm'));
    }
  });
});

describe('mesh token', () => {
  it('creates a token (printed once), lists it and revokes it', async () => {
    const created = await mesh(['token', 'create', '--agent', 'scout', '--preset', 'worker', '--label', 'cli-test']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^m3shd_ag_\S+\n$/);
    expect(created.stderr).toContain('shown only once');
    const row = await testHub.hub.db.agentToken.findFirstOrThrow({ where: { agentId: 'scout', label: 'cli-test' } });
    expect(row.preset).toBe('worker');

    const listed = await mesh(['token', 'list', '--agent', 'scout']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${row.id}\\s+scout\\s+worker\\s+.*cli-test$`, 'm'));
    expect(listed.stdout).not.toContain(created.stdout.trim());

    const revoked = await mesh(['token', 'revoke', row.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`revoked token ${row.id} of agent scout\n`);
    const after = await testHub.hub.db.agentToken.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.revokedAt).not.toBeNull();
  });
});

describe('mesh post and tail', () => {
  it('post writes a message to the chat', async () => {
    const posted = await mesh(['post', 'deploy finished', '--channel', 'ops']);
    expect(posted.code).toBe(0);
    const message = await testHub.hub.db.message.findFirstOrThrow({ where: { channel: 'ops' } });
    expect(message).toMatchObject({ content: 'deploy finished', sender: 'operator', senderType: 'user' });
    expect(posted.stdout).toBe(`posted to #ops as operator (message ${message.id})\n`);
  });

  it('tail prints the chosen live events, one line each, until Ctrl-C', async () => {
    const subscribers = testHub.hub.events.stats().subscribers;
    const tail = runTypeScript(MESH, ['tail', '--types', 'message_posted'], env);
    await waitForSubscribers(testHub, subscribers + 1);
    const master = testHub.client({ token: testHub.masterToken });
    await master.tasks.create.mutate({ title: 'not shown', prompt: 'filtered out by --types' });
    await master.messages.send.mutate({ content: 'hello from the test', channel: 'general' });
    await tail.waitForOutput('hello from the test', 10_000);
    tail.child.kill('SIGINT');
    const { code } = await tail.exited();
    expect(code).toBe(0);
    expect(tail.output()).toMatch(/^\d\d:\d\d:\d\d {2}message_posted +#general operator: hello from the test\n$/);
  });
});

describe('mesh chat', () => {
  // An agent of its own: earlier tests leave work assigned to rex.
  let sage: TestWorker;
  beforeAll(async () => {
    sage = await registerWorker(testHub, { id: 'sage', maxConcurrent: 2 });
  });

  it('runs a command and prints the hub’s answer, which is also stored on the channel', async () => {
    const chat = await mesh(['chat', 'status', '--channel', 'cli-chat']);
    expect(chat.stderr).toBe('');
    expect(chat.code).toBe(0);
    expect(chat.stdout).toMatch(/^Agents: \d+ online · \d+ busy · 0 offline\n/);
    expect(chat.stdout).toContain('🟢 sage — online, 0/2 tasks\n');
    const stored = await testHub.hub.db.message.findMany({ where: { channel: 'cli-chat' }, orderBy: { ts: 'asc' } });
    expect(stored.map((message) => [message.sender, message.content.split('\n')[0]])).toEqual([
      ['operator', 'status'],
      ['system', chat.stdout.split('\n')[0]],
    ]);
  });

  it('waits for the agent a message went to and prints its answer on stdout (the hub’s note on stderr)', async () => {
    const text = 'name three prime numbers';
    const subscribers = testHub.hub.events.stats().subscribers;
    const cli = runTypeScript(MESH, ['chat', `@sage ${text}`, '--timeout', '20'], env);
    const task = await taskWithPrompt(text);
    expect(task.assignedTo).toBe('sage');
    // The hub's answer relay and the CLI's event stream.
    await waitForSubscribers(testHub, subscribers + 2);
    const [claimed] = await sage.client.tasks.claim.mutate({});
    await sage.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: '2, 3 and 5\n', idempotencyKey: `done-${claimed!.attemptId}` });

    const { code } = await cli.exited();
    expect(cli.errors()).toContain(`Sent to sage as task ${task.id}`);
    expect(code).toBe(0);
    expect(cli.output()).toBe('2, 3 and 5\n');
  });

  it('--no-wait prints the hub’s reply and returns; a failed answer task is one line and exit 1', async () => {
    const noWait = await mesh(['chat', '@sage count to three', '--no-wait']);
    expect(noWait.code).toBe(0);
    const first = await taskWithPrompt('count to three');
    expect(noWait.stdout).toBe(`Sent to sage as task ${first.id} (/tasks/${first.id}); the answer will be posted here.\n`);
    const [claimedFirst] = await sage.client.tasks.claim.mutate({});
    await sage.client.tasks.report.mutate({ taskId: first.id, attemptId: claimedFirst!.attemptId, status: 'done', output: 'one two three', idempotencyKey: `done-${claimedFirst!.attemptId}` });

    const cli = runTypeScript(MESH, ['chat', '@sage divide by zero, please', '--timeout', '20'], env);
    const task = await taskWithPrompt('divide by zero, please');
    const [claimed] = await sage.client.tasks.claim.mutate({});
    await sage.client.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'failed', error: 'the model refused', idempotencyKey: `failed-${claimed!.attemptId}` });
    const { code } = await cli.exited();
    expect(code).toBe(1);
    expect(cli.output()).toBe('');
    expect(stderrLines(cli.errors()).at(-1)).toBe(`mesh: no answer from sage: task ${task.id} failed: the model refused`);
  });

  it('refuses an empty text as a usage mistake', async () => {
    const empty = await mesh(['chat', '   ']);
    expect(empty.code).toBe(2);
    expect(stderrLines(empty.stderr)).toHaveLength(1);
  });
});
