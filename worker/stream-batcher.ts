// Partial output goes to the hub while the model runs, batched by time and size so a chatty
// model does not make a request per token. Sends are serialized and numbered: each piece has a
// sequence number (0, 1, ...), which the worker turns into the chunk's idempotency key, so a
// piece whose send failed is sent once more safely. A piece that fails twice is dropped (the
// final report carries the whole output), and a refused one (stale lease) stops streaming.
import { LIMITS, utf8Bytes } from '../src/lib/limits';

const FLUSH_BYTES = 16 * 1024;
/** The pause before the one resend of a piece whose send failed. */
export const STREAM_RETRY_DELAY_MS = 200;

export class StreamBatcher {
  private buffer = '';
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private stopped = false;
  private nextSequence = 0;

  constructor(
    /** Sends one piece; the same sequence number means the same piece (a resend). */
    private readonly send: (content: string, sequence: number) => Promise<void>,
    private readonly flushMs: number,
  ) {}

  push(text: string): void {
    if (this.stopped || text.length === 0) return;
    this.buffer += text;
    if (utf8Bytes(this.buffer) >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.buffer || this.stopped) return this.sending;
    const pieces = splitByBytes(this.buffer, LIMITS.streamChunkBytes).map((content) => ({ content, sequence: this.nextSequence++ }));
    this.buffer = '';
    this.sending = this.sending.then(async () => {
      for (const piece of pieces) {
        for (let attempt = 1; attempt <= 2 && !this.stopped; attempt += 1) {
          try {
            await this.send(piece.content, piece.sequence);
            break;
          } catch (error) {
            if (isRefusal(error)) this.stopped = true;
            else if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, STREAM_RETRY_DELAY_MS));
          }
        }
      }
    });
    return this.sending;
  }

  /** Sends what is buffered and waits for it. */
  async close(): Promise<void> {
    await this.flush();
    this.stopped = true;
  }
}

function isRefusal(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
  return status === 409 || status === 403 || status === 404;
}

/** Splits text into pieces of at most maxBytes UTF-8 bytes without cutting a character. */
export function splitByBytes(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const character of text) {
    const size = utf8Bytes(character);
    if (currentBytes + size > maxBytes) {
      pieces.push(current);
      current = '';
      currentBytes = 0;
    }
    current += character;
    currentBytes += size;
  }
  if (current) pieces.push(current);
  return pieces;
}
