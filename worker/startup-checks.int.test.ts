// The worker as a real process refuses to start, in one line and before it registers, when its
// runtime cannot run on this machine; and it names the hub's URL and the cause when the hub
// cannot be reached or refuses it (connection refused, host not found, TLS, a wrong token,
// another agent's token). A token given as a flag draws a warning.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/free-port';
import { runToCompletion, runTypeScript } from '../src/testing/hub-process';
import { makeTempDir, startTestHub, type TestHub } from '../src/testing/test-hub';

const WORKER = 'worker/main.ts';
let testHub: TestHub;
let token: string;
let home: string;

beforeAll(async () => {
  testHub = await startTestHub();
  const master = testHub.client({ token: testHub.masterToken });
  ({ token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' }));
  // An empty home: no credential profile of the Anthropic SDK, no outbox of an earlier run.
  home = makeTempDir('m3shd-worker-home-');
});

afterAll(async () => {
  await testHub.destroy();
  fs.rmSync(home, { recursive: true, force: true });
});

const baseEnv = () => ({ MESH_HUB: testHub.url, MESH_TOKEN: token, MESH_AGENT_ID: 'rex', HOME: home, ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', OPENAI_API_KEY: '' });
const lines = (text: string) => text.split('\n').filter((line) => line.trim().length > 0);

async function agentExists(id: string): Promise<boolean> {
  return (await testHub.hub.db.agent.findUnique({ where: { id } })) !== null;
}

describe('the worker checks its runtime at start', () => {
  it.each([
    ['claude-cli without the claude binary', { MESH_RUNTIME: 'claude-cli', PATH: '/nonexistent' }, /^worker: the claude-cli runtime runs "claude", which is not on PATH; install Claude Code/],
    ['anthropic without an API key', { MESH_RUNTIME: 'anthropic' }, /^worker: the anthropic runtime needs an API key: set ANTHROPIC_API_KEY/],
    ['openai against api.openai.com without a key', { MESH_RUNTIME: 'openai', OPENAI_BASE_URL: 'https://api.openai.com/v1' }, /^worker: the openai runtime needs OPENAI_API_KEY/],
    ['openai with no server', { MESH_RUNTIME: 'openai', OPENAI_BASE_URL: '' }, /^worker: the openai runtime needs a server: set OPENAI_BASE_URL/],
    ['command with a program that does not exist', { MESH_RUNTIME: 'command', MESH_COMMAND: './no-such-agent.py --fast' }, /^worker: the command runtime runs "\.\/no-such-agent\.py", which is not an executable file/],
  ])('%s: refuses with one line and exit code 2, registering nothing', async (_case, env, message) => {
    const result = await runToCompletion(WORKER, [], { ...baseEnv(), ...env });
    expect(result.code, result.stderr).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await agentExists('rex')).toBe(false);
  });

  it('starts with a runtime that can run, and warns when the token is passed as a flag', async () => {
    const dir = makeTempDir('m3shd-worker-outbox-');
    const worker = runTypeScript(WORKER, ['--token', token, '--runtime', 'command', '--command', 'cat', '--outbox-dir', dir], { ...baseEnv(), MESH_TOKEN: '' });
    await worker.waitForOutput('registered with');
    expect(worker.errors()).toContain('worker: warning: --token on the command line is visible to other users of this machine (ps)');
    expect(worker.errors()).not.toContain(token);
    expect(worker.output()).toContain(`registered with ${testHub.url} as rex`);
    expect(await agentExists('rex')).toBe(true);
    worker.child.kill('SIGTERM');
    expect((await worker.exited()).code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the worker names the hub and the cause when it cannot join', () => {
  it('a wrong token: one line with the URL and 401, exit 1, no token or stack', async () => {
    const wrong = 'm3shd_ag_this-token-does-not-exist-0123456789';
    const result = await runToCompletion(WORKER, ['--runtime', 'command', '--command', 'cat'], { ...baseEnv(), MESH_TOKEN: wrong });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^worker: cannot register agent rex: the hub at ${testHub.url} refused the token \\(401: .+\\); check MESH_TOKEN`));
    expect(result.stderr).not.toContain(wrong);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("another agent's token: names the agent the token is bound to (403)", async () => {
    const result = await runToCompletion(WORKER, ['--runtime', 'command', '--command', 'cat'], { ...baseEnv(), MESH_AGENT_ID: 'echo' });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([`worker: cannot register agent echo: the hub at ${testHub.url} refused this agent (403: this token is bound to agent rex, not echo)`]);
  });

  it.each([
    ['a closed port', async () => `http://127.0.0.1:${await freePort()}`, /connection refused/],
    ['an unknown host', async () => 'http://no-such-hub.invalid:3000', /host (not found|lookup failed)/],
    ['https to a plain-HTTP hub', async () => testHub.url.replace('http://', 'https://'), /TLS/],
  ])('%s: retries, saying where and why in one line each time', async (_case, hubUrl, cause) => {
    const url = await hubUrl();
    const dir = makeTempDir('m3shd-worker-outbox-');
    const worker = runTypeScript(WORKER, ['--runtime', 'command', '--command', 'cat', '--outbox-dir', dir], { ...baseEnv(), MESH_HUB: url, MESH_BACKOFF_MAX_MS: '500' });
    await worker.waitForOutput('retrying in');
    const line = lines(worker.output()).find((text) => text.includes('retrying in'))!;
    expect(line).toContain(`cannot reach the hub at ${url} (`);
    expect(line).toMatch(cause);
    expect(worker.errors()).not.toMatch(/\n\s+at /);
    worker.child.kill('SIGTERM');
    expect((await worker.exited()).code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the worker’s own checks find programs as spawn does', () => {
  it('a relative path from the working directory, a bare name on PATH', async () => {
    const { findExecutable } = await import('./runtimes/executable');
    const dir = makeTempDir('m3shd-exec-');
    const script = path.join(dir, 'agent.sh');
    fs.writeFileSync(script, '#!/bin/sh\ncat\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a program', { mode: 0o644 });
    expect(findExecutable('./agent.sh', { PATH: '' }, dir)).toBe(script);
    expect(findExecutable('agent.sh', { PATH: dir })).toBe(script);
    expect(findExecutable('notes.txt', { PATH: dir })).toBeNull();
    expect(findExecutable('agent.sh', { PATH: '/nonexistent' })).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
