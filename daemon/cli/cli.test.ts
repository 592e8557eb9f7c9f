// Units of the mesh CLI that need no hub: argument checks, the one-line error mapping, and the
// formatting of tables and event lines.
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { checkOptions, integerOption, listOption, parseCommandLine, requireText, secondsOption, UsageError } from './args';
import { displayUrl, resolveHubSettings } from './connection';
import { CommandFailure, describeError } from './errors';
import { EVENT_TYPES, summarizeEvent } from './event-summary';
import { displayWidth, renderTable, truncate } from './format';
import { formatEventLine } from './commands/tail';
import { titleFromPrompt } from './commands/task';

const known = [
  { name: 'hub', kind: 'string' as const, description: '' },
  { name: 'limit', kind: 'string' as const, description: '' },
  { name: 'wait', kind: 'boolean' as const, description: '' },
];

describe('argument parsing', () => {
  it('accepts flags before and after the command words', () => {
    expect(parseCommandLine(['--hub', 'http://h', 'task', 'a', 'b', '--wait'], known)).toEqual({ words: ['task', 'a', 'b'], options: { hub: 'http://h', wait: true } });
  });

  it('turns parser complaints into one-line usage errors', () => {
    expect(() => parseCommandLine(['--nope'], known)).toThrow(new UsageError("Unknown option '--nope'"));
    expect(() => parseCommandLine(['--limit', '-5'], known)).toThrow(/^Option '--limit' argument is ambiguous$/);
  });

  it('refuses a flag of another command, naming this one', () => {
    expect(() => checkOptions('status', { limit: '3' }, [])).toThrow('mesh status has no --limit option');
    expect(() => checkOptions('tasks', { limit: '3', hub: 'x' }, [known[1]!])).not.toThrow();
  });

  it('checks numbers, lists and free text', () => {
    expect(integerOption({ limit: '12' }, 'limit', { min: 1, max: 500 })).toBe(12);
    expect(() => integerOption({ limit: '1.5' }, 'limit', { min: 1, max: 500 })).toThrow(UsageError);
    expect(() => integerOption({ limit: '501' }, 'limit', { min: 1, max: 500 })).toThrow('--limit must be a whole number from 1 to 500 (got "501")');
    expect(secondsOption({ timeout: '2.5' }, 'timeout')).toBe(2.5);
    expect(() => secondsOption({ timeout: '0' }, 'timeout')).toThrow(UsageError);
    expect(listOption({ types: 'a, b,,' }, 'types')).toEqual(['a', 'b']);
    expect(requireText(['hello', 'all'], 'a message', 'post')).toBe('hello all');
    expect(() => requireText([], 'a message', 'post')).toThrow('mesh post needs a message');
  });

  it('takes the hub and token from flags first, then the environment, and checks the URL', () => {
    expect(resolveHubSettings({}, { MESH_HUB: 'http://hub:3000/', MESH_TOKEN: 'abc' })).toEqual({ url: 'http://hub:3000', token: 'abc' });
    expect(resolveHubSettings({ hub: 'https://other', token: 'flag' }, { MESH_HUB: 'http://hub', MESH_TOKEN: 'env' })).toEqual({ url: 'https://other', token: 'flag' });
    expect(resolveHubSettings({}, { MESH_TOKEN: '  ' })).toEqual({ url: 'http://localhost:3000', token: undefined });
    expect(() => resolveHubSettings({ hub: 'ftp://x' }, {})).toThrow(UsageError);
    expect(displayUrl('https://user:secret@hub.example.com/')).toBe('https://hub.example.com');
  });

  it('names a task after the first line of its prompt', () => {
    expect(titleFromPrompt('\n  summarise the logs\nthen mail them')).toBe('summarise the logs');
    expect(titleFromPrompt('x'.repeat(200))).toHaveLength(80);
  });
});

describe('error lines', () => {
  const context = { hubUrl: 'http://hub:3000', token: 'm3shd_secret_value_123' };
  const hubError = (httpStatus: number, message: string) =>
    TRPCClientError.from({ error: { code: -32001, message, data: { code: 'X', httpStatus, message } } });

  it('maps the hub’s refusals', () => {
    expect(describeError(hubError(401, 'invalid or revoked token'), context)).toEqual({ message: 'the hub refused the token (401): invalid or revoked token', exitCode: 1 });
    expect(describeError(hubError(403, 'missing permission admin:tokens'), context).message).toBe('permission denied (403): missing permission admin:tokens');
    expect(describeError(hubError(404, 'task t1 not found'), context).message).toBe('task t1 not found');
  });

  it('reports an unreachable hub by its URL', () => {
    const refused = new TRPCClientError('fetch failed', { cause: new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }) });
    expect(describeError(refused, context).message).toBe('cannot reach the hub at http://hub:3000 (connection refused)');
  });

  it('keeps to one line, never shows the token, and gives usage errors exit code 2', () => {
    expect(describeError(new CommandFailure(`bad\nthing with ${context.token}`), context).message).toBe('bad thing with ***');
    expect(describeError(new UsageError('no prompt'), context)).toEqual({ message: 'no prompt (see: npm run mesh -- help)', exitCode: 2 });
    expect(describeError(new Error('boom'), context).message).toBe('unexpected error: boom');
  });
});

describe('formatting', () => {
  it('aligns tables whose cells hold emoji', () => {
    expect(displayWidth('✅ ok')).toBe(5);
    expect(renderTable(['', 'ID'], [['✅', 'a'], ['⏳', 'bb']])).toEqual(['    ID', '✅  a', '⏳  bb']);
    expect(truncate('one\ntwo three', 8)).toBe('one two…');
  });

  it('has a line for every event type, and survives unknown ones', () => {
    expect(EVENT_TYPES).toContain('task_completed');
    const event = { id: 3, type: 'task_completed' as const, ts: '2026-01-02T03:04:05.000Z', payload: { taskId: 't1', title: 'haiku', status: 'done', priority: 50, urgency: 'low', assignedTo: 'rex', requiredCapability: null, attemptId: 'a1' } };
    expect(summarizeEvent(event)).toBe('t1 "haiku" done on rex');
    expect(formatEventLine(event)).toMatch(/^\d\d:\d\d:\d\d {2}task_completed +t1 "haiku" done on rex$/);
    expect(summarizeEvent({ id: 4, type: 'from_the_future' as never, ts: event.ts, payload: { a: 1 } as never })).toBe('{"a":1}');
  });
});
