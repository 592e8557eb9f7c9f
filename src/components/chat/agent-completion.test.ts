// Units: finding the mention being typed and completing it with an agent id.
import { describe, expect, it } from 'vitest';
import { completeMention, matchingAgents, mentionAt } from './agent-completion';

describe('@agent completion', () => {
  it('finds a mention only at a word start, up to the caret', () => {
    expect(mentionAt('@re', 3)).toEqual({ start: 0, partial: 're' });
    expect(mentionAt('ask @Re', 7)).toEqual({ start: 4, partial: 're' });
    expect(mentionAt('mail a@re', 9)).toBeNull();
    expect(mentionAt('@rex hello', 10)).toBeNull();
    expect(mentionAt('@', 1)).toEqual({ start: 0, partial: '' });
  });

  it('matches ids or names by prefix and completes with the id and a space', () => {
    const agents = [
      { id: 'rex', name: 'Rex' },
      { id: 'archon', name: 'Planner' },
      { id: 'rover', name: 'rover' },
    ];
    expect(matchingAgents(agents, 'r').map((agent) => agent.id)).toEqual(['rex', 'rover']);
    expect(matchingAgents(agents, 'pla').map((agent) => agent.id)).toEqual(['archon']);
    expect(completeMention('ask @re', 7, { start: 4, partial: 're' }, 'rex')).toEqual({ text: 'ask @rex ', caret: 9 });
    expect(completeMention('@rehello', 3, { start: 0, partial: 're' }, 'rex')).toEqual({ text: '@rex ', caret: 5 });
  });
});
