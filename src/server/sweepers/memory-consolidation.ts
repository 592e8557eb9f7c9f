// Daily memory consolidation ("sleep"): one pass of the memory service's rules (and the model's
// merges when the gateway is configured). Operators can also run it on demand (memory.consolidate).
import type { Hub } from '../hub';

export async function consolidateMemory(hub: Hub): Promise<{ changes: number }> {
  const summary = await hub.memory.consolidate();
  return { changes: summary.changes.length };
}
