// Sortable string ids (UUIDv7) for every row but agents, which use their slug.

let lastMs = 0;
let sequence = 0;

// Random bytes are drawn 4 KB at a time: one getRandomValues call per id was a measurable part
// of the task engine's hot path.
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;

function randomBytes(count: number): Uint8Array {
  if (randomOffset + count > randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool);
    randomOffset = 0;
  }
  const bytes = randomPool.slice(randomOffset, randomOffset + count);
  randomOffset += count;
  return bytes;
}

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter so ids made within one
 * millisecond still sort in creation order, then random bits.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs <= lastMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  } else {
    lastMs = nowMs;
    sequence = 0;
  }
  const bytes = randomBytes(16);
  let ms = lastMs;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const AGENT_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
