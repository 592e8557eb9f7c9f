// Sender colours: fixed for the spec's agents, stable and within the palette for the rest.
import { describe, expect, it } from 'vitest';
import { AGENT_PALETTE, agentColour, senderColour } from './sender-colors';

describe('sender colours', () => {
  it('gives the operator amber, the hub muted, archon purple and rex emerald', () => {
    expect(senderColour({ sender: 'admin', senderType: 'user' })).toBe('var(--amber)');
    expect(senderColour({ sender: 'system', senderType: 'system' })).toBe('var(--text-muted)');
    expect(senderColour({ sender: 'archon', senderType: 'agent' })).toBe(AGENT_PALETTE[0]);
    expect(senderColour({ sender: 'rex', senderType: 'agent' })).toBe('var(--emerald)');
  });

  it('hashes other agents over the palette, the same way every time', () => {
    const colours = ['n0d3', 'n0d3-2', 'scout', 'atlas', 'echo', 'mira', 'vega'].map(agentColour);
    for (const colour of colours) expect(AGENT_PALETTE).toContain(colour);
    expect(new Set(colours).size).toBeGreaterThan(1);
    expect(agentColour('scout')).toBe(agentColour('scout'));
  });
});
