// Message tokens: links to tasks and the web, status marks, and prose left alone.
import { describe, expect, it } from 'vitest';
import { taskIdsIn, tokenizeMessage } from './message-tokens';

describe('tokenizeMessage', () => {
  it('finds task links at word starts only, without trailing punctuation', () => {
    expect(tokenizeMessage('Sent as task abc (/tasks/0193-ab). Track them at /tasks')).toEqual([
      { kind: 'text', value: 'Sent as task abc (' },
      { kind: 'task_link', value: '/tasks/0193-ab' },
      { kind: 'text', value: '). Track them at ' },
      { kind: 'task_link', value: '/tasks' },
    ]);
    expect(tokenizeMessage('see a/tasks or /tasksmith')).toEqual([{ kind: 'text', value: 'see a/tasks or /tasksmith' }]);
  });

  it('finds web links, leaving a closing full stop out', () => {
    expect(tokenizeMessage('Open https://mesh.example.com/tasks/1. Then wait')).toEqual([
      { kind: 'text', value: 'Open ' },
      { kind: 'url', value: 'https://mesh.example.com/tasks/1' },
      { kind: 'text', value: '. Then wait' },
    ]);
  });

  it('marks the status emoji of the hub’s answers, the warning sign with or without its variation selector', () => {
    expect(tokenizeMessage('🟢 rex — online\n✅ done · ⚠️ a → b · ⚠ c').filter((token) => token.kind === 'status').map((token) => token.value)).toEqual([
      '🟢',
      '✅',
      '⚠️',
      '⚠',
    ]);
  });

  it('reads the hub’s task ids as task references, the id’s own link folded in', () => {
    const id = '019ad1c2-3b4c-7d5e-8f60-123456789abc';
    expect(tokenizeMessage(`Sent to rex as task ${id} (/tasks/${id}); the answer will be posted here.`)).toEqual([
      { kind: 'text', value: 'Sent to rex as ' },
      { kind: 'task_ref', value: id },
      { kind: 'text', value: '; the answer will be posted here.' },
    ]);
    expect(tokenizeMessage(`Asked archon (task ${id}); see https://hub.example/tasks/${id}.`)).toEqual([
      { kind: 'text', value: 'Asked archon (' },
      { kind: 'task_ref', value: id },
      { kind: 'text', value: '); see ' },
      { kind: 'task_ref', value: id },
      { kind: 'text', value: '.' },
    ]);
    expect(taskIdsIn(`1. Plan — ${id}`)).toEqual([]);
  });

  it('leaves plain text as one token', () => {
    expect(tokenizeMessage('hello mesh')).toEqual([{ kind: 'text', value: 'hello mesh' }]);
    expect(tokenizeMessage('')).toEqual([]);
  });
});
