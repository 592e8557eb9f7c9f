// Plugins over real HTTP on a real hub: file_summary's refusals (traversal, an absolute path,
// a symlink out of the root, a 2 GB sparse file) with no path in any answer; web_search against
// the fake SearXNG; notify through the fake ntfy with its per-agent limit; a folder of plugins
// where one throws at setup and one throws in a hook, while the hub stays healthy; permissions.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../testing/fake-anthropic';
import { startFakeNtfy } from '../../testing/fake-ntfy';
import { startFakeSearch } from '../../testing/fake-search';
import { memoryLogger } from '../../testing/memory-logger';
import { registerWorker } from '../../testing/mesh-fixtures';
import type { HubLogger } from '../logging/logger';
import { loginCookie, makeTempDir, rawCall, startTestHub, type TestHub } from '../../testing/test-hub';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hubForTest(env: Record<string, string> = {}, logger?: HubLogger): Promise<TestHub> {
  const testHub = await startTestHub({ env, logger });
  cleanups.push(() => testHub.destroy());
  return testHub;
}

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function tokenFor(testHub: TestHub, agentId: string, access: { preset: 'worker' | 'commander' | 'admin' } | { permissions: ('tasks:read' | 'tasks:write' | 'admin:plugins')[] } = { preset: 'worker' }) {
  const master = testHub.client({ token: testHub.masterToken });
  return (await master.tokens.create.mutate({ agentId, ...access })).token;
}

function invoke(testHub: TestHub, token: string, tool: string, args: Record<string, unknown>) {
  return rawCall(testHub.url, 'plugins.invoke', { type: 'mutation', input: { tool, args }, headers: { Authorization: `Bearer ${token}` } });
}

/** Where the tests' files live: no answer may name any of these. */
function leakedPaths(body: unknown, paths: string[]): string[] {
  const text = JSON.stringify(body);
  return [...paths, os.tmpdir(), '/etc/', process.cwd()].filter((candidate) => text.includes(candidate));
}

describe('file_summary', () => {
  it('summarizes a text file under the root and refuses traversal, absolute paths, symlinks out and a 2 GB sparse file', async () => {
    const root = tempDir('m3shd-files-');
    const outside = tempDir('m3shd-outside-');
    fs.mkdirSync(path.join(root, 'notes'));
    fs.writeFileSync(path.join(root, 'notes', 'plan.md'), '# Launch plan\n\nShip the hub on Friday.\nTell the team.\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'the secret outside the root\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'escape.txt'));
    fs.symlinkSync(outside, path.join(root, 'escape-dir'));
    fs.symlinkSync(path.join(root, 'notes', 'plan.md'), path.join(root, 'inside-link.md'));
    // A 2 GB file without 2 GB of disk: truncate makes it sparse, nothing is written.
    fs.closeSync(fs.openSync(path.join(root, 'huge.log'), 'w'));
    fs.truncateSync(path.join(root, 'huge.log'), 2 * 1024 ** 3);
    fs.writeFileSync(path.join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    // A FIFO: opening one to read would wait for a writer forever, unless opened non-blocking.
    execFileSync('mkfifo', [path.join(root, 'pipe')]);

    const testHub = await hubForTest({ MESH_FILES_ROOT: root });
    const token = await tokenFor(testHub, 'reader');
    const secrets = [root, outside, fs.realpathSync(root), fs.realpathSync(outside)];

    const ok = await invoke(testHub, token, 'file_summary', { path: 'notes/plan.md' });
    expect(ok.status).toBe(200);
    expect(ok.body.result.data.text).toBe('notes/plan.md: 4 lines, 11 words, 54 bytes. First lines:\n# Launch plan\n\nShip the hub on Friday.\nTell the team.\n');
    expect(ok.body.result.data.data).toEqual({ path: 'notes/plan.md', bytes: 54, lines: 4, words: 11, summarizedBy: 'head' });
    // A link that stays inside the root is followed.
    expect((await invoke(testHub, token, 'file_summary', { path: 'inside-link.md' })).body.result.data.data.path).toBe('notes/plan.md');

    const refusals: [string, number, string][] = [
      ['../../etc/passwd', 403, 'path: outside the files root'],
      ['/etc/passwd', 403, 'path: outside the files root'],
      [path.join(outside, 'secret.txt'), 403, 'path: outside the files root'],
      ['escape.txt', 403, 'path: leads outside the files root (a symbolic link)'],
      ['escape-dir/secret.txt', 403, 'path: leads outside the files root (a symbolic link)'],
      ['huge.log', 400, 'path: the file is larger than the 1048576 byte limit (MESH_FILE_SUMMARY_MAX_BYTES)'],
      ['image.bin', 400, 'path: not a text file'],
      ['notes', 400, 'path: not a regular file'],
      ['missing.txt', 404, 'path: no such file under the files root'],
      ['notes/../../x', 403, 'path: outside the files root'],
      ['pipe', 400, 'path: not a regular file'],
    ];
    for (const [requested, status, message] of refusals) {
      const answer = await invoke(testHub, token, 'file_summary', { path: requested });
      expect({ requested, status: answer.status, message: answer.body.error?.message }).toEqual({ requested, status, message });
      expect(leakedPaths(answer.body, secrets)).toEqual([]);
    }
    expect(leakedPaths(ok.body, secrets)).toEqual([]);
    // The sparse file stayed sparse: nothing read it into memory or wrote to it.
    expect(fs.statSync(path.join(root, 'huge.log')).blocks).toBeLessThan(16);

    const state = await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'file_summary' } });
    expect(state).toMatchObject({ invocations: 2 + refusals.length, failures: refusals.length, enabled: true });
    expect(state.lastError).toMatch(/^file_summary: path: /);
    expect(leakedPaths(state.lastError, secrets)).toEqual([]);
    // The events say which tool and whether it worked, never the arguments.
    const events = await testHub.hub.db.eventLog.findMany({ where: { type: 'plugin_invoked' } });
    expect(events).toHaveLength(2 + refusals.length);
    expect(JSON.parse(events[0]!.payload)).toEqual({ tool: 'file_summary', plugin: 'file_summary', agentId: 'reader', ok: true, error: null });
    expect(events.some((event) => event.payload.includes('passwd') || event.payload.includes('plan.md'))).toBe(false);
  });

  it('summarizes through the model gateway when the hub has one, and says it is off without a root', async () => {
    const root = tempDir('m3shd-files-');
    fs.writeFileSync(path.join(root, 'report.txt'), 'Quarterly numbers went up.\n');
    const anthropic = await startFakeAnthropic({ reply: (prompt) => `A short report (${prompt.length} characters seen).` });
    cleanups.push(() => anthropic.close());
    const testHub = await hubForTest({ MESH_FILES_ROOT: root, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: anthropic.url });
    const token = await tokenFor(testHub, 'reader');
    const answer = await invoke(testHub, token, 'file_summary', { path: 'report.txt' });
    expect(answer.status).toBe(200);
    expect(answer.body.result.data.data.summarizedBy).toBe('model');
    expect(answer.body.result.data.text).toMatch(/^report\.txt \(1 lines, 4 words, 27 bytes\):\nA short report/);
    expect(anthropic.requests[0]!.prompt).toContain('Quarterly numbers went up.');

    const bare = await hubForTest();
    const bareToken = await tokenFor(bare, 'reader');
    const off = await invoke(bare, bareToken, 'file_summary', { path: 'report.txt' });
    expect(off.status).toBe(503);
    expect(off.body.error.message).toBe('file_summary is not configured on this hub (MESH_FILES_ROOT)');
  });
});

describe('web_search and notify', () => {
  it('searches the fake SearXNG and reports a failing backend without its URL', async () => {
    const search = await startFakeSearch();
    cleanups.push(() => search.close());
    const testHub = await hubForTest({ MESH_SEARCH_URL: `${search.url}/search` });
    const token = await tokenFor(testHub, 'rex');
    const client = testHub.client({ token });
    const result = await client.plugins.invoke.mutate({ tool: 'web_search', args: { query: 'StoreKit 2 pricing', limit: 2 } });
    expect(search.queries).toEqual(['StoreKit 2 pricing']);
    expect(result.text).toBe(
      'Results for "StoreKit 2 pricing":\n1. Result 1 for StoreKit 2 pricing — https://example.com/storekit-2-pricing/1\n   Snippet 1 about StoreKit 2 pricing.\n2. Result 2 for StoreKit 2 pricing — https://example.com/storekit-2-pricing/2\n   Snippet 2 about StoreKit 2 pricing.',
    );
    expect((result.data as { results: unknown[] }).results).toHaveLength(2);

    const bad = await invoke(testHub, token, 'web_search', { query: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.data.field).toBe('args.query');
    search.setStatus(502);
    const down = await invoke(testHub, token, 'web_search', { query: 'anything' });
    expect(down.status).toBe(503);
    expect(down.body.error.message).toBe('the search backend answered HTTP 502');
    expect(JSON.stringify(down.body)).not.toContain(search.url);
    const unknown = await invoke(testHub, token, 'no_such_tool', {});
    expect(unknown.status).toBe(404);
  });

  it('memory_enhance searches the calling agent’s own memory only', async () => {
    const testHub = await hubForTest();
    const master = testHub.client({ token: testHub.masterToken });
    const { client: rex } = await registerWorker(testHub, { id: 'rex' });
    await registerWorker(testHub, { id: 'ann' });
    await master.memory.store.mutate({ agentId: 'rex', key: 'deploy.window', value: 'deploys happen on tuesday mornings' });
    await master.memory.store.mutate({ agentId: 'ann', key: 'deploy.secret', value: 'ann deploys on tuesday evenings' });
    const found = await rex.plugins.invoke.mutate({ tool: 'memory_enhance', args: { query: 'when are deploys on tuesday' } });
    expect(found.text).toBe('- deploy.window: deploys happen on tuesday mornings');
    expect((found.data as { matches: { key: string }[] }).matches.map((match) => match.key)).toEqual(['deploy.window']);
    expect((await rex.plugins.invoke.mutate({ tool: 'memory_enhance', args: { query: 'evenings' } })).text).toBe('No remembered facts match.');
    // Users and the master token have no memory of their own to search.
    const refused = await invoke(testHub, testHub.masterToken, 'memory_enhance', { query: 'deploys' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('agent token');
  });

  it('pushes through ntfy and limits each agent per hour', async () => {
    const ntfy = await startFakeNtfy();
    cleanups.push(() => ntfy.close());
    const testHub = await hubForTest({ MESH_NTFY_URL: ntfy.url, MESH_NTFY_TOPIC: 'mesh-test', MESH_NOTIFY_PER_HOUR: '2' });
    const rex = await tokenFor(testHub, 'rex');
    const archon = await tokenFor(testHub, 'archon');
    expect((await invoke(testHub, rex, 'notify', { message: 'build is green', title: 'CI' })).status).toBe(200);
    expect((await invoke(testHub, rex, 'notify', { message: 'second' })).status).toBe(200);
    const third = await invoke(testHub, rex, 'notify', { message: 'third' });
    expect(third.status).toBe(429);
    expect(third.body.error.message).toBe('notify allows 2 pushes per agent per hour (MESH_NOTIFY_PER_HOUR)');
    expect((await invoke(testHub, archon, 'notify', { message: 'from archon' })).status).toBe(200);
    const received = await ntfy.waitForMessages(3);
    expect(received.map((message) => [message.path, message.title, message.body])).toEqual([
      ['/mesh-test', 'CI', 'build is green'],
      ['/mesh-test', 'Message from rex', 'second'],
      ['/mesh-test', 'Message from archon', 'from archon'],
    ]);
  });
});

const SETUP_THROWS = `export function setup(manager) {
  manager.registerTool({ name: 'never_registered', description: 'x', run: () => ({ text: 'x' }) });
  throw new Error('cannot start: config missing at ' + process.cwd() + '/plugins/boom.json');
}
`;

const HOOK_THROWS = `export function setup(manager) {
  manager.registerTool({ name: 'fragile_echo', description: 'echo', args: manager.z.object({ text: manager.z.string() }), run: (args) => ({ text: 'fragile: ' + args.text }) });
  manager.registerHook('task_created', () => { throw new Error('hook exploded reading /var/lib/secret/thing'); });
}
`;

const SLOW_HOOK = `export function setup(manager) {
  manager.registerHook('task_created', () => new Promise(() => {}));
}
`;

const RECORDER = (file: string) => `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
export function setup(manager) {
  manager.declareCapability('audit', 'records task events');
  manager.registerTool({ name: 'shout', description: 'upper-cases', args: manager.z.object({ text: manager.z.string().max(50) }), run: (args) => ({ text: args.text.toUpperCase() }) });
  manager.registerTool({ name: 'refuse', description: 'always refuses', run: () => { throw manager.toolError('forbidden', 'not today'); } });
  manager.registerTool({ name: 'crash', description: 'throws', run: () => { throw new Error('ENOENT: open ' + ${JSON.stringify(file)}); } });
  manager.registerHook('task_created', (event) => { fs.appendFileSync(${JSON.stringify(file)}, event.type + ' ' + event.payload.title + '\\n'); });
  manager.registerHook('agent_online', (event) => { fs.appendFileSync(${JSON.stringify(file)}, event.type + ' ' + event.payload.agentId + '\\n'); });
}
`;

describe('plugins from MESH_PLUGINS_DIR', () => {
  it('keeps the hub healthy when a plugin throws at setup, disables a plugin whose hook throws, and outlasts a hung hook', async () => {
    const dir = tempDir('m3shd-plugins-');
    const recordFile = path.join(tempDir('m3shd-record-'), 'hooks.log');
    fs.writeFileSync(path.join(dir, 'boom.mjs'), SETUP_THROWS);
    fs.writeFileSync(path.join(dir, 'fragile.mjs'), HOOK_THROWS);
    fs.writeFileSync(path.join(dir, 'sleepy.mjs'), SLOW_HOOK);
    fs.writeFileSync(path.join(dir, 'recorder.mjs'), RECORDER(recordFile));
    fs.writeFileSync(path.join(dir, 'nosetup.mjs'), 'export const hello = 1;\n');
    fs.writeFileSync(path.join(dir, 'syntax.mjs'), 'export function setup( {\n');
    fs.writeFileSync(path.join(dir, 'README.txt'), 'not a plugin\n');
    const logged = memoryLogger('warn');
    const testHub = await hubForTest({ MESH_PLUGINS_DIR: dir, MESH_PLUGIN_HOOK_TIMEOUT_MS: '200' }, logged.logger);

    const health = await fetch(`${testHub.url}/api/health`);
    expect(health.status).toBe(200);
    const master = testHub.client({ token: testHub.masterToken });
    const byName = async () => Object.fromEntries((await master.plugins.list.query()).map((plugin) => [plugin.name, plugin]));
    let plugins = await byName();
    expect(Object.keys(plugins).sort()).toEqual(['boom', 'file_summary', 'fragile', 'memory_enhance', 'nosetup', 'notify', 'recorder', 'sleepy', 'syntax', 'web_search']);
    expect(plugins.boom).toMatchObject({ status: 'failed', source: 'directory', tools: [], lastError: 'setup threw: cannot start: config missing at [path]' });
    expect(plugins.nosetup).toMatchObject({ status: 'failed', lastError: 'the module exports no setup(manager) function' });
    expect(plugins.syntax!.status).toBe('failed');
    expect(plugins.recorder).toMatchObject({ status: 'active', capabilities: ['audit'], hooks: ['task_created', 'agent_online'] });
    expect(plugins.recorder!.tools.map((tool) => tool.name)).toEqual(['shout', 'refuse', 'crash']);
    // The failed plugin's tool was never registered; the others work.
    const token = await tokenFor(testHub, 'rex');
    expect((await invoke(testHub, token, 'never_registered', {})).status).toBe(404);
    expect((await invoke(testHub, token, 'shout', { text: 'hello' })).body.result.data).toEqual({ tool: 'shout', plugin: 'recorder', text: 'HELLO' });
    expect((await invoke(testHub, token, 'fragile_echo', { text: 'one' })).body.result.data.text).toBe('fragile: one');
    const refused = await invoke(testHub, token, 'refuse', {});
    expect([refused.status, refused.body.error.message]).toEqual([403, 'not today']);
    const crashed = await invoke(testHub, token, 'crash', {});
    expect([crashed.status, crashed.body.error.message]).toEqual([503, 'tool "crash" failed: ENOENT: open [path]']);

    // A task: fragile's hook throws (disabled), sleepy's hangs past its limit, recorder's runs.
    await master.tasks.create.mutate({ title: 'first task', prompt: 'p' });
    await testHub.hub.plugins.settled();
    await master.tasks.create.mutate({ title: 'second task', prompt: 'p' });
    await testHub.hub.plugins.settled();
    await testHub.client({ token }).agents.register.mutate({ id: 'rex', name: 'rex', machine: 'test', kind: 'desktop', capabilities: [], maxConcurrent: 1 });
    await testHub.hub.plugins.settled();
    expect(fs.readFileSync(recordFile, 'utf8')).toBe('task_created first task\ntask_created second task\nagent_online rex\n');
    plugins = await byName();
    expect(plugins.fragile).toMatchObject({ status: 'disabled', enabled: false, lastError: 'the task_created hook threw: hook exploded reading [path]' });
    expect(plugins.sleepy).toMatchObject({ status: 'active', lastError: 'the task_created hook did not finish within 200 ms' });
    const disabled = await invoke(testHub, token, 'fragile_echo', { text: 'two' });
    expect([disabled.status, disabled.body.error.message]).toEqual([409, 'tool "fragile_echo" is disabled (plugin fragile)']);
    expect((await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'fragile' } })).enabled).toBe(false);
    const updated = await testHub.hub.db.eventLog.findMany({ where: { type: 'plugin_updated' } });
    expect(updated.map((event) => JSON.parse(event.payload))).toEqual([{ name: 'fragile', enabled: false, status: 'disabled', reason: 'hook_failed' }]);

    // Logged once each, in one line, with no stack and no path.
    const lines = logged.lines.map((line) => String(line.msg));
    expect(lines.filter((line) => line.includes('"fragile" disabled'))).toEqual(['plugins: "fragile" disabled: the task_created hook threw: hook exploded reading [path]']);
    expect(lines.some((line) => line.includes('"boom" failed to load'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toMatch(/\n|^\s*at |:\d+:\d+|\/var\/lib|m3shd-plugins-/);
      expect(line).not.toContain(process.cwd());
    }
    expect((await fetch(`${testHub.url}/api/health`)).status).toBe(200);
  });
});

describe('plugin permissions and the enabled state', () => {
  it('needs tasks:write to invoke and admin:plugins to enable or disable; the state survives a restart', async () => {
    const search = await startFakeSearch();
    cleanups.push(() => search.close());
    const env = { MESH_SEARCH_URL: `${search.url}/search` };
    const testHub = await startTestHub({ env });
    cleanups.push(() => testHub.destroy().catch(() => undefined));
    const readOnly = await tokenFor(testHub, 'watcher', { permissions: ['tasks:read'] });
    const worker = await tokenFor(testHub, 'rex');
    const denied = await invoke(testHub, readOnly, 'web_search', { query: 'x' });
    expect([denied.status, denied.body.error.message]).toEqual([403, 'missing permission tasks:write']);
    expect(search.queries).toEqual([]);
    expect((await invoke(testHub, worker, 'web_search', { query: 'first' })).status).toBe(200);
    // A read-only token may list (without seeing arguments of anything).
    expect((await rawCall(testHub.url, 'plugins.list', { type: 'query', headers: { Authorization: `Bearer ${readOnly}` } })).status).toBe(200);

    const setEnabled = (headers: Record<string, string>, enabled: boolean) => rawCall(testHub.url, 'plugins.setEnabled', { type: 'mutation', input: { name: 'web_search', enabled }, headers });
    expect((await setEnabled({ Authorization: `Bearer ${worker}` }, false)).status).toBe(403);
    const master = testHub.client({ token: testHub.masterToken });
    await master.users.create.mutate({ username: 'plain-user', role: 'user', password: 'plain-user-password' });
    const userCookie = await loginCookie(testHub.url, { username: 'plain-user', password: 'plain-user-password' });
    const byUser = await setEnabled({ Cookie: userCookie, Origin: testHub.url }, false);
    expect([byUser.status, byUser.body.error.message]).toEqual([403, 'missing permission admin:plugins']);
    expect((await testHub.hub.db.pluginState.findUniqueOrThrow({ where: { name: 'web_search' } })).enabled).toBe(true);

    const adminCookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
    const byAdmin = await setEnabled({ Cookie: adminCookie, Origin: testHub.url }, false);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.result.data).toMatchObject({ name: 'web_search', enabled: false, status: 'disabled' });
    expect((await invoke(testHub, worker, 'web_search', { query: 'x' })).status).toBe(409);
    expect(await master.plugins.setEnabled.mutate({ name: 'nope', enabled: true }).catch((error: { data?: { httpStatus?: number } }) => error.data?.httpStatus)).toBe(404);

    const { dataDir, masterToken, adminPassword } = testHub;
    await testHub.stop();
    const restarted = await startTestHub({ env, dataDir, masterToken, adminPassword });
    cleanups.push(() => restarted.destroy());
    const after = (await restarted.client({ token: masterToken }).plugins.list.query()).find((plugin) => plugin.name === 'web_search');
    expect(after).toMatchObject({ enabled: false, status: 'disabled', invocations: 1 });
    await restarted.client({ token: masterToken }).plugins.setEnabled.mutate({ name: 'web_search', enabled: true });
    expect((await invoke(restarted, worker, 'web_search', { query: 'back' })).status).toBe(200);
  });
});
