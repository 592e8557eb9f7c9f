// `@agent` completion in the composer: the partial mention just before the caret, and the text
// with a chosen agent put in its place (pure, unit-tested).

export interface Mention {
  /** Where the `@` is. */
  start: number;
  /** What was typed after it (lowercased). */
  partial: string;
}

/** A mention being typed: `@` at the start or after whitespace, then up to the caret only id characters. */
export function mentionAt(text: string, caret: number): Mention | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([A-Za-z0-9-]{0,64})$/.exec(before);
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, partial: match[1]!.toLowerCase() };
}

/** Agents whose id or name starts with the partial (ids first), at most `limit`. */
export function matchingAgents<T extends { id: string; name: string }>(agents: readonly T[], partial: string, limit = 6): T[] {
  const starts = (value: string) => value.toLowerCase().startsWith(partial);
  return agents.filter((agent) => starts(agent.id) || starts(agent.name)).slice(0, limit);
}

/** The text with the mention replaced by `@<id> `, and where the caret goes. */
export function completeMention(text: string, caret: number, mention: Mention, agentId: string): { text: string; caret: number } {
  const inserted = `@${agentId} `;
  const after = text.slice(caret).replace(/^[A-Za-z0-9-]*\s?/, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}
