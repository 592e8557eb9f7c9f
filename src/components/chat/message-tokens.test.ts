// Message tokens: links to tasks and the web, status marks, and prose left alone.
import { describe, expect, it } from 'vitest';
import { tokenizeMessage } from './message-tokens';

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

  it('leaves plain text as one token', () => {
    expect(tokenizeMessage('hello mesh')).toEqual([{ kind: 'text', value: 'hello mesh' }]);
    expect(tokenizeMessage('')).toEqual([]);
  });
});
