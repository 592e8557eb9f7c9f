// The chat command parser: each of the 14 patterns of spec section 07 and the edges between them.
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits';
import { chatSendInput, parseChatCommand, taskStatusIcon } from './chat-commands';

describe('parseChatCommand', () => {
  it.each([
    ['status', { kind: 'status' }],
    ['tasks', { kind: 'tasks' }],
    ['@context', { kind: 'context_get' }],
    ['approve', { kind: 'approve' }],
    ['reject', { kind: 'reject' }],
    ['pending', { kind: 'pending' }],
    ['costs', { kind: 'costs' }],
    ['@costs', { kind: 'costs' }],
    ['escalations', { kind: 'escalations' }],
    ['summary', { kind: 'summary' }],
  ])('reads the bare command %s', (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });

  it('ignores case and surrounding whitespace', () => {
    expect(parseChatCommand('  STATUS \n')).toEqual({ kind: 'status' });
    expect(parseChatCommand('Tasks')).toEqual({ kind: 'tasks' });
    expect(parseChatCommand('@Context')).toEqual({ kind: 'context_get' });
    expect(parseChatCommand('@COSTS')).toEqual({ kind: 'costs' });
    expect(parseChatCommand('\tApprove')).toEqual({ kind: 'approve' });
  });

  it('sets context with key=value, keeping = signs and case inside the value', () => {
    expect(parseChatCommand('@context deploy=friday')).toEqual({ kind: 'context_set', key: 'deploy', value: 'friday' });
    expect(parseChatCommand('@CONTEXT  deploy = Friday 5pm ')).toEqual({ kind: 'context_set', key: 'deploy', value: 'Friday 5pm' });
    expect(parseChatCommand('@context url=https://x.test/?a=b&c=d')).toEqual({ kind: 'context_set', key: 'url', value: 'https://x.test/?a=b&c=d' });
    expect(parseChatCommand('@context release.v2:notes=ok')).toEqual({ kind: 'context_set', key: 'release.v2:notes', value: 'ok' });
    expect(parseChatCommand('@context: deploy=friday')).toEqual({ kind: 'context_set', key: 'deploy', value: 'friday' });
    expect(parseChatCommand('@context cleared=')).toEqual({ kind: 'context_set', key: 'cleared', value: '' });
  });

  it('answers a malformed @context with its usage instead of guessing', () => {
    const usage = { kind: 'invalid', command: 'context_set', usage: '@context key=value' };
    expect(parseChatCommand('@context deploy')).toEqual(usage);
    expect(parseChatCommand('@context =friday')).toEqual(usage);
    expect(parseChatCommand('@context two words=x')).toEqual(usage);
  });

  it('tells @context from an agent whose name only starts with it', () => {
    expect(parseChatCommand('@contextual summarise the doc')).toEqual({ kind: 'agent_message', agentId: 'contextual', text: 'summarise the doc' });
    expect(parseChatCommand('@costsaver check spend')).toEqual({ kind: 'agent_message', agentId: 'costsaver', text: 'check spend' });
  });

  it('dispatches @<agent> <text> to that agent, with the id lowercased and line breaks kept', () => {
    expect(parseChatCommand('@rex research the market')).toEqual({ kind: 'agent_message', agentId: 'rex', text: 'research the market' });
    expect(parseChatCommand('@Rex: look at this')).toEqual({ kind: 'agent_message', agentId: 'rex', text: 'look at this' });
    expect(parseChatCommand('@n0d3-2, ping')).toEqual({ kind: 'agent_message', agentId: 'n0d3-2', text: 'ping' });
    expect(parseChatCommand('@rex first line\nsecond line')).toEqual({ kind: 'agent_message', agentId: 'rex', text: 'first line\nsecond line' });
  });

  it('answers @<agent> with no text with its usage', () => {
    expect(parseChatCommand('@rex')).toEqual({ kind: 'invalid', command: 'agent_message', usage: '@rex <text>' });
    expect(parseChatCommand('@rex:   ')).toEqual({ kind: 'invalid', command: 'agent_message', usage: '@rex <text>' });
  });

  it('treats mentions that are not agent ids as free chat', () => {
    expect(parseChatCommand('@ rex hello')).toEqual({ kind: 'chat', text: '@ rex hello' });
    expect(parseChatCommand('@rex_bot hello')).toEqual({ kind: 'chat', text: '@rex_bot hello' });
    expect(parseChatCommand(`@${'a'.repeat(65)} hi`)).toEqual({ kind: 'chat', text: `@${'a'.repeat(65)} hi` });
    expect(parseChatCommand('@')).toEqual({ kind: 'chat', text: '@' });
  });

  it('reads do <text> and auto <goal>, keeping the argument as written', () => {
    expect(parseChatCommand('do Write the release notes')).toEqual({ kind: 'do', text: 'Write the release notes' });
    expect(parseChatCommand('DO  fix the build\nthen test')).toEqual({ kind: 'do', text: 'fix the build\nthen test' });
    expect(parseChatCommand('auto Launch the beta')).toEqual({ kind: 'auto', goal: 'Launch the beta' });
    expect(parseChatCommand('Auto   plan Q3 ')).toEqual({ kind: 'auto', goal: 'plan Q3' });
  });

  it('answers do and auto without an argument with their usage', () => {
    expect(parseChatCommand('do')).toEqual({ kind: 'invalid', command: 'do', usage: 'do <text>' });
    expect(parseChatCommand('AUTO  ')).toEqual({ kind: 'invalid', command: 'auto', usage: 'auto <goal>' });
  });

  it('needs a keyword to stand alone: longer words and extra text are free chat', () => {
    for (const text of ['statuses', 'status please', 'tasks?', 'approve it', 'rejected', 'summary of today', 'doing fine', 'automate this', 'pending!']) {
      expect(parseChatCommand(text)).toEqual({ kind: 'chat', text });
    }
  });

  it('reads Object.prototype member names as free chat, never as commands', () => {
    for (const text of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'CONSTRUCTOR']) {
      expect(parseChatCommand(text)).toEqual({ kind: 'chat', text });
    }
  });

  it('reads a leading # as a note, before any command word', () => {
    for (const text of ['# heads up', '#status', '  #@rex hi', '#']) expect(parseChatCommand(text)).toEqual({ kind: 'note' });
    expect(parseChatCommand('status #1')).toEqual({ kind: 'chat', text: 'status #1' });
  });

  it('makes anything else free chat, trimmed', () => {
    expect(parseChatCommand('  how is the mesh today?  ')).toEqual({ kind: 'chat', text: 'how is the mesh today?' });
    expect(parseChatCommand('')).toEqual({ kind: 'chat', text: '' });
  });
});

describe('chatSendInput', () => {
  it('takes the general channel by default and refuses blank or over-limit content', () => {
    expect(chatSendInput.parse({ content: 'status' })).toEqual({ content: 'status', channel: 'general' });
    expect(chatSendInput.safeParse({ content: '   ' }).success).toBe(false);
    const tooLong = chatSendInput.safeParse({ content: 'x'.repeat(LIMITS.messageBytes + 1) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toContain('messageBytes');
    expect(chatSendInput.safeParse({ content: 'x'.repeat(LIMITS.messageBytes) }).success).toBe(true);
  });
});

describe('taskStatusIcon', () => {
  it('has an icon per status and a fallback', () => {
    expect(taskStatusIcon('done')).toBe('✅');
    expect(taskStatusIcon('queued')).toBe('⏳');
    expect(taskStatusIcon('unknown')).toBe('❔');
    for (const name of ['__proto__', 'constructor', 'toString']) expect(taskStatusIcon(name)).toBe('❔');
  });
});
