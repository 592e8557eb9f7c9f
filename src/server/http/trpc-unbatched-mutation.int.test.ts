// Unbatched mutations are answered by trpc-unbatched-mutation.ts, batched ones by @trpc/server's
// adapter. The same call sent both ways must get the same status, the same JSON (the batch's one
// entry) and the same Retry-After, for answers and for every kind of refusal; what the fast path
// does not take (queries, GET, a batch, a non-JSON body, an unknown path) is the adapter's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@/lib/limits';
import { registerWorker, type TestWorker } from '../../testing/mesh-fixtures';
import { startTestHub, type TestHub } from '../../testing/test-hub';

let testHub: TestHub;
let worker: TestWorker;
beforeAll(async () => {
  testHub = await startTestHub({ env: { MESH_DAILY_TOKEN_BUDGET: '1000000000' } });
  worker = await registerWorker(testHub, { id: 'parity', maxConcurrent: 1 });
});
afterAll(async () => {
  await testHub.destroy();
});

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
  contentType: string | null;
}

async function post(path: string, body: string | undefined, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${testHub.url}/api/trpc/${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type') };
}

/** The call unbatched (the fast path) and as a batch of one (the adapter), with the batch's entry unwrapped. */
async function bothWays(path: string, input: unknown, headers: Record<string, string>): Promise<{ unbatched: Answer; batched: Answer }> {
  const json = { 'Content-Type': 'application/json', ...headers };
  const unbatched = await post(path, input === undefined ? undefined : JSON.stringify(input), json);
  const batched = await post(`${path}?batch=1`, JSON.stringify(input === undefined ? {} : { 0: input }), json);
  return { unbatched, batched: { ...batched, body: Array.isArray(batched.body) ? batched.body[0] : batched.body } };
}

/** Ids and times differ between two successful creates; everything else must not. */
function withoutVolatile(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, field: unknown) => (['id', 'createdAt', 'updatedAt'].includes(key) ? '<volatile>' : field));
}

const master = () => ({ Authorization: `Bearer ${testHub.masterToken}` });

describe('unbatched tRPC mutations', () => {
  it('answer a success exactly as the adapter does', async () => {
    const { unbatched, batched } = await bothWays('tasks.create', { title: 'parity', prompt: 'same answer' }, master());
    expect(unbatched.status).toBe(200);
    expect(unbatched.contentType).toMatch(/^application\/json/);
    expect(withoutVolatile(unbatched.body)).toEqual(withoutVolatile(batched.body));
    expect(unbatched.body).toMatchObject({ result: { data: { title: 'parity', status: expect.any(String) } } });
  });

  it('refuse bad input, a missing or wrong token and a missing permission with the adapter’s status and error shape', async () => {
    const viewerToken = (await testHub.client({ token: testHub.masterToken }).tokens.create.mutate({ agentId: 'reader', permissions: ['tasks:read'] })).token;
    const cases: [string, unknown, Record<string, string>, number][] = [
      ['tasks.create', { title: '', prompt: 'x' }, master(), 400],
      ['tasks.create', { title: 'x', prompt: 'y'.repeat(LIMITS.promptBytes + 1) }, master(), 400],
      ['tasks.create', { title: 'x', prompt: 'y' }, {}, 401],
      ['tasks.create', { title: 'x', prompt: 'y' }, { Authorization: 'Bearer m3shd_wrong' }, 401],
      ['tasks.create', { title: 'x', prompt: 'y' }, { Authorization: `Bearer ${viewerToken}` }, 403],
      ['tasks.report', { taskId: 'no-such-task', attemptId: 'no-such-attempt', status: 'done', output: 'x', idempotencyKey: 'parity-key' }, { Authorization: `Bearer ${worker.token}` }, 404],
    ];
    for (const [path, input, headers, status] of cases) {
      const { unbatched, batched } = await bothWays(path, input, headers);
      expect({ path, input: JSON.stringify(input).slice(0, 60), status: unbatched.status }).toEqual({ path, input: JSON.stringify(input).slice(0, 60), status });
      expect(unbatched.status).toBe(batched.status);
      expect(unbatched.body).toEqual(batched.body);
      expect(unbatched.retryAfter).toBe(batched.retryAfter);
    }
  });

  it('say when to come back when a key is over its limit (429, Retry-After), as the adapter does', async () => {
    const admin = testHub.client({ token: testHub.masterToken });
    const { key } = await admin.keys.create.mutate({ name: 'parity-limit', permissions: ['tasks:write'], rateLimitPerMinute: 1, dailyCap: 100 });
    const headers = { Authorization: `Bearer ${key}` };
    const first = await post('tasks.create', JSON.stringify({ title: 'one', prompt: 'ok' }), { 'Content-Type': 'application/json', ...headers });
    expect(first.status).toBe(200);
    const { unbatched, batched } = await bothWays('tasks.create', { title: 'two', prompt: 'too many' }, headers);
    expect(unbatched.status).toBe(429);
    expect(unbatched.retryAfter).toMatch(/^\d+$/);
    expect(unbatched.body).toEqual(batched.body);
    expect(batched.status).toBe(429);
  });

  it('refuse malformed JSON (400 PARSE_ERROR) and an oversized body (413) in tRPC’s shape, changing nothing', async () => {
    const before = await testHub.hub.db.task.count();
    const malformed = await post('tasks.create', '{"title": "x", ', { 'Content-Type': 'application/json', ...master() });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { data: { code: 'PARSE_ERROR', httpStatus: 400, path: 'tasks.create' } } });
    const huge = await post('tasks.create', JSON.stringify({ title: 'x', prompt: 'y'.repeat(LIMITS.requestBodyBytes) }), { 'Content-Type': 'application/json', ...master() });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: { message: `body: exceeds ${LIMITS.requestBodyBytes} bytes (requestBodyBytes)`, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } });
    for (const answer of [malformed, huge]) expect(JSON.stringify(answer.body)).not.toMatch(/stack|at \/|node_modules|SELECT/);
    expect(await testHub.hub.db.task.count()).toBe(before);
  });

  it('leave queries, GET, unknown procedures and non-JSON bodies to the adapter', async () => {
    const query = await post('tasks.list', JSON.stringify({}), { 'Content-Type': 'application/json', ...master() });
    expect(query.status).toBe(200); // a query sent as POST: the adapter's method override
    const get = await fetch(`${testHub.url}/api/trpc/tasks.create`, { headers: master() });
    expect(get.status).toBe(405);
    const unknown = await post('tasks.nope', JSON.stringify({}), { 'Content-Type': 'application/json', ...master() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
    const text = await post('tasks.create', 'title=x', { 'Content-Type': 'text/plain', ...master() });
    expect(text.status).toBeGreaterThanOrEqual(400);
  });
});
