// A seeded fuzz of every procedure over real HTTP. The router is walked (a new procedure is
// fuzzed without touching this file); each procedure's zod input is turned into a JSON schema,
// from which inputs are generated: plausible ones (so calls reach the services, with ids of real
// rows), then hostile ones — `__proto__` / `constructor` / `toString` as every string, a field
// of the wrong type, huge strings, negative and huge numbers, whole inputs of the wrong shape,
// malformed JSON. Each is sent as several principals (master token, admin and viewer cookies, a
// worker token). Asserted for every answer: no 5xx; no stack, SQL, Prisma or filesystem path in
// the body; and a refused call (4xx) changed no row (SQLite's total_changes() on the hub's one
// connection, which counts inserts, updates and deletes). Bounded and deterministic: a fixed
// seed (FUZZ_SEED to explore others) and a fixed number of inputs per procedure and principal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../testing/manual-clock';
import { loginCookie, startTestHub, type TestHub } from '../../testing/test-hub';
import type { ProcedureMeta } from '../trpc';
import { appRouter } from './index';

// ---------------------------------------------------------------- the router, walked

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

interface FuzzedProcedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: ProcedureMeta | undefined;
  /** null: the procedure takes no input. */
  schema: JsonSchema | null;
}

function listProcedures(): FuzzedProcedure[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: FuzzedProcedure['type']; meta?: ProcedureMeta; inputs?: z.ZodType[] } }>;
  return Object.entries(procedures).map(([path, procedure]) => {
    const inputs = procedure._def.inputs ?? [];
    const schemas = inputs.map((input) => z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
    // Several .input() calls merge their objects.
    const schema =
      schemas.length === 0
        ? null
        : schemas.length === 1
          ? schemas[0]!
          : { type: 'object', properties: Object.assign({}, ...schemas.map((part) => part.properties ?? {})), required: schemas.flatMap((part) => part.required ?? []) };
    return { path, type: procedure._def.type, meta: procedure._def.meta, schema };
  });
}

// ---------------------------------------------------------------- seeded generation

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const random = seededRandom(SEED);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (probability: number) => random() < probability;

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString'] as const;

const HOSTILE_STRINGS: readonly string[] = [
  ...PROTOTYPE_NAMES,
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '\u0000',
  '\uD800',
  '%E0%A4%A',
  '../../../../etc/passwd',
  "' OR '1'='1",
  '"; --',
  '<script>alert(1)</script>',
  '😀'.repeat(40),
  'A'.repeat(65),
  'a'.repeat(257),
  '-1',
  'NaN',
  'null',
  '2026-13-45T99:99:99Z',
  'x'.repeat(70 * 1024),
];
const HOSTILE_NUMBERS: readonly number[] = [-1, 0, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER];
const deepObject = (): unknown => {
  let value: unknown = { leaf: true };
  for (let depth = 0; depth < 60; depth += 1) value = { nested: value };
  return value;
};
/** Values of the wrong type (and JSON objects with prototype-named own keys). */
const hostileValues = (): unknown[] => [
  null,
  true,
  [],
  {},
  [1, 'a', null],
  'string',
  123,
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  deepObject(),
  Array.from({ length: 600 }, (_, index) => index),
];

/** Strings a valid input may use: ids of real rows (filled in as the fuzz runs) and plain words. */
const pool = new Set<string>(['general', 'rex', 'fuzz-worker', 'archon', 'key-1', 'abc', 'instance-0001', 'fuzz-request-0001', 'claude-sonnet-4', 'do write a poem', 'status', '12']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function harvestIds(value: unknown, depth = 0): void {
  if (depth > 6 || pool.size > 400) return;
  if (typeof value === 'string') {
    if (UUID.test(value)) pool.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) harvestIds(item, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) harvestIds(item, depth + 1);
  }
}

function fitsString(node: JsonSchema, value: string): boolean {
  if (node.minLength !== undefined && value.length < node.minLength) return false;
  if (node.maxLength !== undefined && value.length > node.maxLength) return false;
  return node.pattern === undefined || new RegExp(node.pattern).test(value);
}

function synthesizeString(node: JsonSchema): string {
  // The patterns are `^[class]{a,b}$` or `^[class]+$`: draw from the class.
  const match = /\[([^\]]+)\](?:\{(\d+),(\d+)\}|\+)?/.exec(node.pattern ?? '');
  const alphabet = match ? match[1]!.replace(/a-z/g, 'abcdefghijklmnopqrstuvwxyz').replace(/A-Z/g, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ').replace(/0-9|\\d/g, '0123456789').replace(/\\/g, '') : 'abcdefghij';
  const minimum = Math.max(node.minLength ?? 1, match?.[2] ? Number(match[2]) : 1);
  const maximum = Math.min(node.maxLength ?? 24, match?.[3] ? Number(match[3]) : 24, minimum + 24);
  const length = minimum + Math.floor(random() * (maximum - minimum + 1));
  return Array.from({ length }, () => pick([...alphabet])).join('');
}

function validString(node: JsonSchema): string {
  if (node.format === 'date-time') return pick(['2027-01-01T00:00:00Z', '2026-06-30T12:00:00+02:00', '2020-01-01T00:00:00.000Z']);
  const candidates = [...pool].filter((value) => fitsString(node, value));
  if (candidates.length > 0 && chance(0.75)) return pick(candidates);
  const synthesized = synthesizeString(node);
  return fitsString(node, synthesized) ? synthesized : (candidates[0] ?? 'a'.repeat(Math.max(1, node.minLength ?? 1)));
}

function validNumber(node: JsonSchema, integer: boolean): number {
  const minimum = node.minimum ?? 0;
  const maximum = Math.min(node.maximum ?? 1_000, 1e15);
  const value = pick([minimum, maximum, minimum + (maximum - minimum) * random()]);
  return integer ? Math.round(value) : value;
}

function typeOf(node: JsonSchema): string | undefined {
  return Array.isArray(node.type) ? pick(node.type) : node.type;
}

/** A value the schema accepts (mostly: refinements beyond the JSON schema may still refuse it). */
function generate(node: JsonSchema, depth = 0): unknown {
  if (node.anyOf ?? node.oneOf) return generate(pick((node.anyOf ?? node.oneOf)!), depth);
  if (node.const !== undefined) return node.const;
  if (node.enum) return pick(node.enum);
  switch (typeOf(node)) {
    case 'object': {
      const result: Record<string, unknown> = {};
      const required = new Set(node.required ?? []);
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        if (required.has(key) || chance(0.5)) result[key] = generate(property, depth + 1);
      }
      return result;
    }
    case 'array': {
      const minimum = node.minItems ?? 0;
      const length = minimum + Math.floor(random() * (Math.min(node.maxItems ?? 3, minimum + 3) - minimum + 1));
      return Array.from({ length }, () => (node.items ? generate(node.items, depth + 1) : 'x'));
    }
    case 'string':
      return validString(node);
    case 'integer':
      return validNumber(node, true);
    case 'number':
      return validNumber(node, false);
    case 'boolean':
      return chance(0.5);
    case 'null':
      return null;
    default:
      return 'x';
  }
}

type Path = (string | number)[];

function leafPaths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [prefix] : entries.flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  return [prefix];
}

function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

function mapStrings(value: unknown, replace: () => string): unknown {
  if (typeof value === 'string') return replace();
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, replace));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, replace)]));
  return value;
}

function hostileLeaf(): unknown {
  const roll = random();
  if (roll < 0.45) return pick(HOSTILE_STRINGS);
  if (roll < 0.7) return pick(HOSTILE_NUMBERS);
  return pick(hostileValues());
}

type FuzzInput = { kind: 'json'; label: string; value: unknown } | { kind: 'raw'; label: string; text: string };

/** The inputs one (procedure, principal) pair gets: plausible, one field hostile, prototype names, wrong shapes, malformed JSON. */
function inputsFor(procedure: FuzzedProcedure, count: number): FuzzInput[] {
  const inputs: FuzzInput[] = [];
  const schema = procedure.schema;
  const valid = () => (schema ? generate(schema) : undefined);
  inputs.push({ kind: 'json', label: 'plausible', value: valid() });
  inputs.push({ kind: 'json', label: 'prototype names', value: mapStrings(valid() ?? {}, () => pick(PROTOTYPE_NAMES)) });
  inputs.push({ kind: 'raw', label: 'malformed JSON', text: pick(['{"a":', '{bad json}', '[1,2', '\u0000', 'undefined', '{"__proto__":']) });
  while (inputs.length < count) {
    const roll = random();
    if (roll < 0.3) {
      inputs.push({ kind: 'json', label: 'plausible', value: valid() });
    } else if (roll < 0.8) {
      const base = valid() ?? {};
      const paths = leafPaths(base);
      const path = pick(paths);
      // Now and then a field the schema has that the plausible input left out.
      const extra = schema?.properties && chance(0.3) ? [pick(Object.keys(schema.properties))] : null;
      inputs.push({ kind: 'json', label: 'one field hostile', value: setAt(base, extra ?? path, hostileLeaf()) });
    } else {
      inputs.push({ kind: 'json', label: 'wrong shape', value: pick(hostileValues()) });
    }
  }
  return inputs;
}

// ---------------------------------------------------------------- calling and checking

/** What must never reach a client: stack frames, SQL, the ORM's or the driver's words, server paths. */
const LEAK = /\bat [\w$.<>]+ \(|\.(?:ts|js|mjs|cjs):\d+|node_modules|\/work\/|\/tmp\/|prisma|sqlite|SELECT |INSERT INTO|DELETE FROM|UPDATE "|constraint failed|"stack"|URIError|SyntaxError|TypeError|ReferenceError/i;

const STACK_OR_PATH = /\bat [\w$.<>]+ \(|\.(?:ts|js|mjs|cjs):\d+:\d+|node_modules|\/work\/|\/tmp\/m3shd-/;

interface Principal {
  name: string;
  headers: Record<string, string>;
  cookie: boolean;
  /** As the hub reports them (account.me). */
  permissions: string[];
}

interface Outcome {
  status: number;
  text: string;
}

function describeInput(input: FuzzInput): string {
  const text = input.kind === 'raw' ? input.text : JSON.stringify(input.value) ?? 'undefined';
  return `${input.label}: ${text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text}`;
}

describe('fuzz: every procedure, hostile input, several principals, over HTTP', () => {
  let testHub: TestHub;
  const principals: Principal[] = [];
  const procedures = listProcedures();
  const findings: string[] = [];
  const counts = { calls: 0, refused: 0, procedures: 0 };
  /** Per procedure, how often each status came back (printed with FUZZ_VERBOSE=1). */
  const statuses = new Map<string, Map<number, number>>();

  const totalChanges = () => (testHub.hub.sql.database.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

  /** Lets work an accepted call started in the background (dispatch, the chat relay) finish. */
  async function quiesce(): Promise<void> {
    await testHub.hub.dispatcher.settled();
    let last = totalChanges();
    for (let round = 0; round < 20; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await testHub.hub.dispatcher.settled();
      const now = totalChanges();
      if (now === last) return;
      last = now;
    }
  }

  async function send(procedure: FuzzedProcedure, principal: Principal, input: FuzzInput): Promise<Outcome> {
    const endpoint = `${testHub.url}/api/trpc/${procedure.path}`;
    const encoded = input.kind === 'raw' ? encodeURIComponent(input.text) : input.value === undefined ? undefined : encodeURIComponent(JSON.stringify(input.value));
    let response: Response;
    if (procedure.type === 'mutation') {
      const body = input.kind === 'raw' ? input.text : input.value === undefined ? undefined : JSON.stringify(input.value);
      response = await fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', ...principal.headers }, body });
    } else if (procedure.type === 'query') {
      response = await fetch(encoded === undefined ? endpoint : `${endpoint}?input=${encoded}`, { headers: principal.headers });
    } else {
      // A subscription: the SSE stream opens, then an error (if any) arrives as an event.
      const controller = new AbortController();
      response = await fetch(encoded === undefined ? endpoint : `${endpoint}?input=${encoded}`, {
        headers: { Accept: 'text/event-stream', ...principal.headers },
        signal: controller.signal,
      });
      let text = '';
      if (response.status === 200 && response.body) {
        const reader = response.body.getReader();
        const deadline = setTimeout(() => controller.abort(), 250);
        try {
          while (!/serialized-error|event: message|\ndata: \{"id"/.test(text)) {
            const chunk = await reader.read();
            if (chunk.done) break;
            text += new TextDecoder().decode(chunk.value);
          }
        } catch {
          // aborted after the deadline: the stream was open and quiet
        } finally {
          clearTimeout(deadline);
          controller.abort();
        }
        const error = /event: serialized-error\ndata: (.*)\n/.exec(text);
        if (error) return { status: (JSON.parse(error[1]!) as { data?: { httpStatus?: number } }).data?.httpStatus ?? 500, text };
        return { status: 200, text };
      }
      return { status: response.status, text: await response.text() };
    }
    return { status: response.status, text: await response.text() };
  }

  function check(where: string, outcome: Outcome, changed: number): void {
    if (outcome.status >= 500) findings.push(`${where} → ${outcome.status} ${outcome.text.slice(0, 200)}`);
    // An accepted answer may echo the caller's hostile strings, so only the unmistakable is looked for there.
    const leak = outcome.status >= 400 ? LEAK : STACK_OR_PATH;
    if (leak.test(outcome.text)) findings.push(`${where} → ${outcome.status} leaks internals: ${outcome.text.slice(0, 300)}`);
    if (outcome.status >= 400 && changed !== 0) findings.push(`${where} → ${outcome.status} but ${changed} row(s) changed`);
  }

  beforeAll(async () => {
    // The hub's clock stands still: no token's last-used time is due for a write mid-fuzz, and no TTL runs out.
    testHub = await startTestHub({ clock: new ManualClock(new Date()) });
    const master = testHub.client({ token: testHub.masterToken });
    const { token: workerToken } = await master.tokens.create.mutate({ agentId: 'fuzz-worker', preset: 'worker' });
    const workerClient = testHub.client({ token: workerToken });
    await workerClient.agents.register.mutate({ id: 'fuzz-worker', name: 'Fuzz worker', capabilities: ['code'], maxConcurrent: 4, instanceId: 'instance-0001' });
    await master.users.create.mutate({ username: 'fuzz-viewer', role: 'viewer', password: 'fuzz-viewer-password' });
    // Rows for ids to point at: a sacrificial user and token (their ids are in the pool; the
    // principals' own are not, so the fuzz cannot lock itself out), tasks, an approval, context.
    const victim = await master.users.create.mutate({ username: 'fuzz-victim', role: 'user' });
    pool.add(victim.user.id);
    const spare = await master.tokens.create.mutate({ agentId: 'rex', preset: 'mobile' });
    pool.add(spare.view.id);
    for (let index = 0; index < 3; index += 1) pool.add((await master.tasks.create.mutate({ title: `seed ${index}`, prompt: 'seed task', assignTo: 'fuzz-worker' })).id);
    const claimed = await workerClient.tasks.claim.mutate({ agentId: 'fuzz-worker', instanceId: 'instance-0001' });
    harvestIds(claimed);
    harvestIds(await workerClient.approvals.create.mutate({ action: 'deploy', description: 'seeded' }));
    await master.context.set.mutate({ key: 'key-1', value: 'seed' });
    harvestIds(await master.messages.send.mutate({ content: 'seed message' }));

    const adminCookie = await loginCookie(testHub.url, { username: 'admin', password: testHub.adminPassword });
    const viewerCookie = await loginCookie(testHub.url, { username: 'fuzz-viewer', password: 'fuzz-viewer-password' });
    principals.push(
      { name: 'master', headers: { Authorization: `Bearer ${testHub.masterToken}` }, cookie: false, permissions: [] },
      { name: 'admin cookie', headers: { Cookie: adminCookie, Origin: testHub.url }, cookie: true, permissions: [] },
      { name: 'viewer cookie', headers: { Cookie: viewerCookie, Origin: testHub.url }, cookie: true, permissions: [] },
      { name: 'worker token', headers: { Authorization: `Bearer ${workerToken}` }, cookie: false, permissions: [] },
    );
    // Also the warm-up: a principal's first authentication may record a last-used time.
    for (const principal of principals) {
      const me = (await (await fetch(`${testHub.url}/api/trpc/account.me`, { headers: principal.headers })).json()) as { result: { data: { permissions: string[] } } };
      principal.permissions = me.result.data.permissions;
    }
    await quiesce();
  });

  afterAll(async () => {
    await testHub?.destroy();
  });

  it('never answers 5xx, never leaks internals, and writes nothing on a refused call', { timeout: 120_000 }, async () => {
    const startedAt = Date.now();
    const multiplier = Number(process.env.FUZZ_ITERATIONS ?? 1);
    for (const procedure of procedures) {
      counts.procedures += 1;
      for (const principal of principals) {
        // Logging out a cookie principal would end the fuzz's own session (covered in auth tests).
        if (procedure.path === 'account.logout' && principal.cookie) continue;
        const access = procedure.meta?.access;
        const permitted = access?.kind !== 'permission' || principal.permissions.includes(access.permission);
        const count = Math.round((permitted ? (procedure.type === 'subscription' ? 6 : 14) : 4) * multiplier);
        for (const input of inputsFor(procedure, count)) {
          const before = totalChanges();
          const outcome = await send(procedure, principal, input);
          const changed = totalChanges() - before;
          counts.calls += 1;
          if (outcome.status >= 400) counts.refused += 1;
          const histogram = statuses.get(procedure.path) ?? new Map<number, number>();
          histogram.set(outcome.status, (histogram.get(outcome.status) ?? 0) + 1);
          statuses.set(procedure.path, histogram);
          check(`${procedure.path} as ${principal.name} (${describeInput(input)})`, outcome, changed);
          if (outcome.status < 400) {
            if (outcome.text.startsWith('{') || outcome.text.startsWith('[')) harvestIds(safeJson(outcome.text));
            await quiesce();
          }
        }
      }
    }
    const elapsedSeconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.info(`fuzz (seed ${SEED}): ${counts.procedures} procedures × ${principals.length} principals, ${counts.calls} calls (${counts.refused} refused) in ${elapsedSeconds} s`);
    if (process.env.FUZZ_VERBOSE) {
      for (const [path, histogram] of statuses) console.info(`  ${path}: ${[...histogram].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')}`);
    }
    expect(procedures.length).toBeGreaterThan(40);
    expect(findings).toEqual([]);
  });

  it('survives hostile procedure names, batches and headers at the tRPC edge and the REST edges', async () => {
    const master = principals[0]!.headers;
    const viewer = principals[2]!.headers;
    const requests: { where: string; url: string; init?: RequestInit }[] = [];
    for (const name of [...PROTOTYPE_NAMES, 'hasOwnProperty', 'account.__proto__', 'account.constructor', 'account.me.toString', '%E0%A4%A', '', ',', 'account.me,,account.me', 'a'.repeat(5_000)]) {
      requests.push({ where: `GET procedure ${name.slice(0, 40)}`, url: `${testHub.url}/api/trpc/${name}`, init: { headers: master } });
      requests.push({ where: `POST procedure ${name.slice(0, 40)}`, url: `${testHub.url}/api/trpc/${name}`, init: { method: 'POST', headers: { ...master, 'Content-Type': 'application/json' }, body: '{}' } });
      requests.push({ where: `batch ${name.slice(0, 40)}`, url: `${testHub.url}/api/trpc/${name},account.me?batch=1&input=%7B%7D`, init: { headers: master } });
    }
    for (const input of ['{"0":null}', '{"0":"__proto__","__proto__":{}}', '[1,2,3]', '"x"', '{"0":', '%E0%A4%A']) {
      requests.push({ where: `batch input ${input}`, url: `${testHub.url}/api/trpc/context.get,users.list?batch=1&input=${input === '%E0%A4%A' ? input : encodeURIComponent(input)}`, init: { headers: master } });
    }
    requests.push({ where: 'POST with text/plain', url: `${testHub.url}/api/trpc/context.set`, init: { method: 'POST', headers: { ...viewer, 'Content-Type': 'text/plain' }, body: 'key=value' } });
    requests.push({ where: 'POST form body', url: `${testHub.url}/api/trpc/context.set`, init: { method: 'POST', headers: { ...master, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'key=k&value=v' } });
    requests.push({ where: 'PUT', url: `${testHub.url}/api/trpc/context.set`, init: { method: 'PUT', headers: master, body: '{}' } });
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer __proto__', 'Basic abc', `Bearer ${'x'.repeat(4_000)}`, 'Bearer m3shd_ag_constructor']) {
      requests.push({ where: `Authorization ${authorization.slice(0, 30)}`, url: `${testHub.url}/api/trpc/account.me`, init: { headers: { Authorization: authorization } } });
    }
    for (const cookie of ['m3sh_session=%E0%A4%A', 'm3sh_session=', 'm3sh_session=__proto__', 'm3sh_session', '=;;=', `m3sh_session=${'a'.repeat(3_000)}`, 'm3sh_session=a.b.c.d.e']) {
      requests.push({ where: `Cookie ${cookie.slice(0, 30)} (query)`, url: `${testHub.url}/api/trpc/account.me`, init: { headers: { Cookie: cookie } } });
      requests.push({ where: `Cookie ${cookie.slice(0, 30)} (mutation)`, url: `${testHub.url}/api/trpc/context.set`, init: { method: 'POST', headers: { Cookie: cookie, Origin: testHub.url, 'Content-Type': 'application/json' }, body: '{"key":"k","value":"v"}' } });
      requests.push({ where: `Cookie ${cookie.slice(0, 30)} (logout)`, url: `${testHub.url}/api/logout`, init: { method: 'POST', headers: { Cookie: cookie, Origin: testHub.url } } });
    }
    for (const body of ['{bad', 'null', '[]', '"x"', '{"username":5,"password":[]}', '{"token":{"__proto__":1}}', '{"username":"__proto__","password":"constructor"}', '{"token":""}']) {
      requests.push({ where: `login body ${body}`, url: `${testHub.url}/api/login`, init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body } });
    }
    for (const path of ['/api/health?x=%E0%A4%A', '/api/%E0%A4%A', '/api/demo/%E0%A4%A', '/%E0%A4%A', '/api/trpc/%', '/api/login?%']) {
      requests.push({ where: `path ${path}`, url: `${testHub.url}${path}` });
    }
    const startedAt = Date.now();
    for (const request of requests) {
      const before = totalChanges();
      const response = await fetch(request.url, request.init);
      const outcome = { status: response.status, text: await response.text() };
      check(request.where, outcome, outcome.status >= 400 ? totalChanges() - before : 0);
      if (outcome.status < 400) await quiesce();
    }
    console.info(`fuzz edges: ${requests.length} requests in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    expect(findings).toEqual([]);
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
