// Bubble colours per sender: the operator amber, the hub muted, agents from a palette built
// from the theme's variables (archon purple and rex emerald, as the spec has them; any other
// agent hashed over the palette, so it keeps its colour across visits).
import type { SenderType } from '@/lib/messages';

// The purple ones are lifted toward white: on their own tinted bubble they read at 4.3–4.5:1,
// under the 4.5:1 that text needs (lifted, 5.4–5.6:1).
export const AGENT_PALETTE: readonly string[] = [
  'color-mix(in srgb, var(--purple) 80%, white)',
  'var(--emerald)',
  'color-mix(in srgb, var(--purple) 45%, var(--emerald))',
  'color-mix(in srgb, color-mix(in srgb, var(--purple) 55%, var(--red)) 80%, white)',
  'color-mix(in srgb, var(--emerald) 55%, var(--amber))',
];

const FIXED_AGENT_COLOURS: Record<string, number> = { archon: 0, rex: 1 };

/** FNV-1a: small, stable across browsers, and spreads short ids well. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

export function agentColour(agentId: string): string {
  const fixed = FIXED_AGENT_COLOURS[agentId];
  return AGENT_PALETTE[fixed ?? hash(agentId) % AGENT_PALETTE.length]!;
}

export function senderColour(message: { sender: string; senderType: SenderType }): string {
  if (message.senderType === 'user') return 'var(--amber)';
  if (message.senderType === 'system') return 'var(--text-muted)';
  return agentColour(message.sender);
}
