// The [REMEMBER] text protocol (spec section 14): a model's output marks facts to keep as
// `[REMEMBER] key: value [/REMEMBER]`; the worker stores each for its agent and leaves the
// blocks in the output. Shared by the worker and the hub. A hand-written scan, not a regex,
// so hostile output (thousands of unclosed tags, megabytes of text) stays linear.
import { MEMORY_KEY_PATTERN } from './memory';
import { LIMITS, utf8Bytes } from './limits';

export const REMEMBER_OPEN = '[REMEMBER]';
export const REMEMBER_CLOSE = '[/REMEMBER]';
/** More blocks than this in one result are ignored: one task cannot flood its agent's memory. */
export const MAX_REMEMBER_BLOCKS = 20;

export interface RememberBlock {
  key: string;
  value: string;
}

/**
 * The well-formed blocks of a text, in order; a later block with the same key wins. A block
 * whose key is not `[A-Za-z0-9._:-]{1,128}`, whose value is empty or over the memory value limit,
 * or that is never closed, is skipped. When an opening tag follows another before a close, the
 * inner (later) one is the block.
 */
export function parseRememberBlocks(text: string): RememberBlock[] {
  const byKey = new Map<string, string>();
  let position = 0;
  while (byKey.size < MAX_REMEMBER_BLOCKS) {
    const open = text.indexOf(REMEMBER_OPEN, position);
    if (open === -1) break;
    const close = text.indexOf(REMEMBER_CLOSE, open + REMEMBER_OPEN.length);
    if (close === -1) break;
    const start = text.lastIndexOf(REMEMBER_OPEN, close);
    position = close + REMEMBER_CLOSE.length;
    const block = parseBody(text.slice(start + REMEMBER_OPEN.length, close));
    if (block) {
      byKey.delete(block.key);
      byKey.set(block.key, block.value);
    }
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

function parseBody(body: string): RememberBlock | null {
  const colon = body.indexOf(':');
  if (colon === -1) return null;
  // Keys may contain colons (`project:deadline`): the separator is the first colon followed by
  // whitespace, else the last colon of a key-shaped prefix.
  const spaced = body.search(/:\s/);
  const separator = spaced !== -1 ? spaced : colon;
  const key = body.slice(0, separator).trim();
  const value = body.slice(separator + 1).trim();
  if (!MEMORY_KEY_PATTERN.test(key) || value.length === 0 || utf8Bytes(value) > LIMITS.memoryValueBytes) return null;
  return { key, value };
}
