import { describe, expect, it } from 'vitest';
import { matchVoiceCommand } from './voice-match';

const templates = [
  { id: 't1', name: 'Research', variables: ['topic'] },
  { id: 't2', name: 'Summarize', variables: ['target'] },
  { id: 't3', name: 'QA', variables: ['target'] },
  { id: 't4', name: 'Code Review', variables: ['target'] },
  { id: 't5', name: 'Write', variables: ['topic'] },
  { id: 't6', name: 'Compare', variables: ['a', 'b'] },
];

describe('matchVoiceCommand', () => {
  it.each([
    ['research StoreKit 2 pricing', 'Research', 'StoreKit 2 pricing'],
    ['Research StoreKit 2 pricing.', 'Research', 'StoreKit 2 pricing'],
    ['Hey mesh, please research about the EU AI Act', 'Research', 'the EU AI Act'],
    ['can you look into WebGPU support in Safari?', 'Research', 'WebGPU support in Safari'],
    ['summarise the Q3 board deck', 'Summarize', 'the Q3 board deck'],
    ['give me a summary of yesterday’s incident', 'Summarize', "yesterday's incident"],
    ['code review the payments module', 'Code Review', 'the payments module'],
    ['review pull request 42', 'Code Review', 'pull request 42'],
    ['QA the signup flow', 'QA', 'the signup flow'],
    ['write a launch post for version 2', 'Write', 'a launch post for version 2'],
    ['draft: release notes', 'Write', 'release notes'],
  ])('%s → %s', (sentence, name, value) => {
    const match = matchVoiceCommand(sentence, templates);
    expect(match).toMatchObject({ kind: 'matched', template: { name }, value });
  });

  it('needs something to fill the variable with', () => {
    expect(matchVoiceCommand('research', templates)).toMatchObject({ kind: 'incomplete', template: { name: 'Research' } });
    expect(matchVoiceCommand('please summarize about', templates)).toMatchObject({ kind: 'incomplete', template: { name: 'Summarize' } });
  });

  it('says what it heard when no template fits, and ignores templates it cannot fill', () => {
    expect(matchVoiceCommand('  order a pizza!  ', templates)).toEqual({ kind: 'none', heard: 'order a pizza' });
    expect(matchVoiceCommand('compare apples and pears', templates).kind).toBe('none');
    expect(matchVoiceCommand('', templates)).toEqual({ kind: 'none', heard: '' });
  });

  it('is deterministic: the longest alias wins, whatever the order', () => {
    const reversed = [...templates].reverse();
    expect(matchVoiceCommand('review the code in server.ts', reversed)).toMatchObject({ template: { name: 'Code Review' }, value: 'server.ts' });
    expect(matchVoiceCommand('writeups are fun', templates).kind).toBe('none');
  });
});
