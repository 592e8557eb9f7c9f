// The delimited block of memories placed ahead of a claimed prompt, within a byte budget.
import { utf8Bytes, truncateToBytes } from '@/lib/limits';

export const MEMORY_BLOCK_OPEN = '[MEMORY]';
export const MEMORY_BLOCK_CLOSE = '[/MEMORY]';
const HEADER = 'Facts you stored in earlier tasks that may help with this one (most relevant first):';

/**
 * Whole entries, best first, while they fit the budget (one that does not is skipped); a first
 * entry alone over it is cut (marked with …). A value cannot close the block early: its own close tags are defused.
 * Returns the block (with a blank line after it) and the keys that went in.
 */
export function formatMemoryBlock(entries: { key: string; value: string }[], maxBytes: number): { block: string; keys: string[] } {
  const frame = `${MEMORY_BLOCK_OPEN}\n${HEADER}\n`;
  const end = `${MEMORY_BLOCK_CLOSE}\n\n`;
  let budget = maxBytes - utf8Bytes(frame) - utf8Bytes(end);
  const lines: string[] = [];
  const keys: string[] = [];
  for (const entry of entries) {
    const value = entry.value.replaceAll(MEMORY_BLOCK_CLOSE, '[/ MEMORY]').replace(/\s*\n\s*/g, ' ').trim();
    let line = `- ${entry.key}: ${value}\n`;
    const bytes = utf8Bytes(line);
    if (bytes > budget) {
      // A later, shorter entry may still fit; only a first entry is cut to fit.
      if (keys.length > 0 || budget < 64) continue;
      line = `${truncateToBytes(line.trimEnd(), budget - utf8Bytes('…\n'))}…\n`;
    }
    lines.push(line);
    keys.push(entry.key);
    budget -= utf8Bytes(line);
  }
  if (keys.length === 0) return { block: '', keys };
  return { block: frame + lines.join('') + end, keys };
}
