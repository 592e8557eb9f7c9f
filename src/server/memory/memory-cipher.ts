// Encryption at rest of memory values (and of what consolidation replaced): AES-256-GCM with the
// `memory-encryption` subkey of MESH_SECRET_KEY, a fresh 96-bit nonce per write, and the row's
// identity (agent and key) as additional data, so a ciphertext copied to another row fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class MemoryCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('memory cipher: the key must be 32 bytes');
  }

  encrypt(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws when the value was not written by this key for this context (tampered, moved, other key). */
  decrypt(stored: string, context: string): string {
    if (!stored.startsWith(VERSION)) throw new Error('memory cipher: unknown format');
    const raw = Buffer.from(stored.slice(VERSION.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** The additional data that binds a memory value to its row. */
export function memoryValueContext(agentId: string, key: string): string {
  return `agent_memory\0${agentId}\0${key}`;
}

/** The additional data of a consolidation log entry's `replaced` column. */
export function consolidationContext(id: string): string {
  return `memory_consolidations\0${id}`;
}
