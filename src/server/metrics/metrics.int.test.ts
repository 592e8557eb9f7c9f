// GET /metrics scraped over real HTTP and parsed as Prometheus text after a task's whole life;
// its guard (bearer MESH_METRICS_TOKEN, else loopback only, never through a proxy); and the
// request log: one line per request with the route template, and an Authorization header censored.
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from '@/lib/event-stream-client';
import { waitForSubscribers } from '../../testing/event-collector';
import { startTestHub, type TestHub } from '../../testing/test-hub';
import { memoryLogger } from '../../testing/memory-logger';
import { REDACTION_CENSOR } from '../logging/logger';

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.destroy().catch(() => undefined);
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The Prometheus text exposition format: `name{label="value",…} number` lines; # lines are help and types. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name!, type!);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

async function scrape(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/metrics`, { headers });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

describe('GET /metrics', () => {
  it('counts a task’s life, agents, streams and requests by route template, with process metrics', async () => {
    const testHub = await startTestHub();
    hubs.push(testHub);
    const master = testHub.client({ token: testHub.masterToken });
    const { token } = await master.tokens.create.mutate({ agentId: 'rex', preset: 'worker' });
    const worker = testHub.client({ token });
    await worker.agents.register.mutate({ id: 'rex', name: 'Rex', capabilities: [], maxConcurrent: 1 });
    const stream = openEventStream({ hubUrl: testHub.url, token: testHub.masterToken, onEvent: () => undefined });
    await waitForSubscribers(testHub, 1);

    const task = await master.tasks.create.mutate({ title: 'measured', prompt: 'count me' });
    await master.tasks.create.mutate({ title: 'waiting', prompt: 'nobody can', requiredCapability: 'no-such-skill' });
    await testHub.hub.dispatcher.settled();
    const [claimed] = await worker.tasks.claim.mutate({});
    await worker.tasks.report.mutate({ taskId: task.id, attemptId: claimed!.attemptId, status: 'done', output: 'COUNT ME', idempotencyKey: `metrics-${claimed!.attemptId}` });
    await fetch(`${testHub.url}/api/tasks/${task.id}`, { headers: { Authorization: `Bearer ${testHub.masterToken}` } });

    const scraped = await scrape(testHub.url);
    expect(scraped.status).toBe(200);
    expect(scraped.contentType).toContain('text/plain');
    const { samples, types } = parsePrometheus(scraped.text);
    expect(value(samples, 'm3shd_tasks', { status: 'done' })).toBe(1);
    expect(value(samples, 'm3shd_tasks', { status: 'queued' })).toBe(1);
    expect(value(samples, 'm3shd_tasks', { status: 'running' })).toBe(0);
    expect(value(samples, 'm3shd_queue_depth')).toBe(1);
    expect(value(samples, 'm3shd_task_lifecycles_completed_total', { status: 'done' })).toBe(1);
    expect(types.get('m3shd_task_lifecycles_completed_total')).toBe('counter');
    expect(types.get('m3shd_task_pickup_seconds')).toBe('histogram');
    expect(value(samples, 'm3shd_task_pickup_seconds_count')).toBe(1);
    expect(value(samples, 'm3shd_agents', { status: 'online' })).toBe(1);
    expect(value(samples, 'm3shd_open_breakers')).toBe(0);
    expect(value(samples, 'm3shd_event_stream_subscribers')).toBe(1);
    expect(value(samples, 'm3shd_event_stream_dropped_events_total')).toBe(0);
    expect(value(samples, 'm3shd_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Request durations by route template: the REST call is its template, not the task's id.
    expect(value(samples, 'm3shd_http_request_duration_seconds_count', { method: 'GET', route: '/api/tasks/{id}', status: '200' })).toBe(1);
    expect(value(samples, 'm3shd_http_request_duration_seconds_count', { route: '/api/trpc/tasks.report', status: '200' })).toBe(1);
    expect(samples.some((sample) => Object.values(sample.labels).some((label) => label.includes(task.id)))).toBe(false);
    // The open stream is not a request duration until it ends.
    expect(samples.some((sample) => sample.labels.route === '/api/stream')).toBe(false);
    stream.close();
  });

  it('needs MESH_METRICS_TOKEN as a bearer token when set', async () => {
    const metricsToken = 'metrics-scrape-token-0123456789';
    const testHub = await startTestHub({ env: { MESH_METRICS_TOKEN: metricsToken } });
    hubs.push(testHub);
    const none = await scrape(testHub.url);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).error.code).toBe('UNAUTHORIZED');
    expect((await scrape(testHub.url, { Authorization: `Bearer ${testHub.masterToken}` })).status).toBe(401);
    const allowed = await scrape(testHub.url, { Authorization: `Bearer ${metricsToken}` });
    expect(allowed.status).toBe(200);
    expect(parsePrometheus(allowed.text).samples.length).toBeGreaterThan(10);
  });

  it('without a token, serves loopback clients only, and not what a proxy forwards', async () => {
    const testHub = await startTestHub();
    hubs.push(testHub);
    expect((await scrape(testHub.url)).status).toBe(200);
    const proxied = await scrape(testHub.url, { 'X-Forwarded-For': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(JSON.parse(proxied.text).error.message).toContain('MESH_METRICS_TOKEN');
  });
});

describe('the request log', () => {
  it('writes one line per request with method, route template, status, duration and principal kind', async () => {
    const { logger, lines } = memoryLogger('info');
    const testHub = await startTestHub({ logger });
    hubs.push(testHub);
    const master = testHub.client({ token: testHub.masterToken, batch: false });
    const task = await master.tasks.create.mutate({ title: 'logged', prompt: 'p' });
    await fetch(`${testHub.url}/api/tasks/${task.id}`, { headers: { Authorization: `Bearer ${testHub.masterToken}` } });
    await fetch(`${testHub.url}/api/tasks`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({ level: 'info', method: 'POST', route: '/api/trpc/tasks.create', status: 200, principal: 'master', durationMs: expect.any(Number) }),
      expect.objectContaining({ method: 'GET', route: '/api/tasks/{id}', status: 200, principal: 'master' }),
      expect.objectContaining({ method: 'GET', route: '/api/tasks', status: 401, principal: 'anonymous' }),
    ]);
    expect(JSON.stringify(requests)).not.toContain(task.id);
  });

  it('at debug, includes the request headers with the Authorization header and cookie censored', async () => {
    const { logger, lines } = memoryLogger('debug');
    const testHub = await startTestHub({ logger });
    hubs.push(testHub);
    await fetch(`${testHub.url}/api/tasks`, { headers: { Authorization: `Bearer ${testHub.masterToken}`, Cookie: 'm3sh_session=not-a-session' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = lines.find((entry) => entry.msg === 'request')!;
    expect(line).toMatchObject({ level: 'debug', route: '/api/tasks', status: 200, principal: 'master' });
    expect(line.headers.authorization).toBe(REDACTION_CENSOR);
    expect(line.headers.cookie).toBe(REDACTION_CENSOR);
    expect(JSON.stringify(lines)).not.toContain(testHub.masterToken);
    expect(JSON.stringify(lines)).not.toContain('not-a-session');
  });
});
