// A fake ntfy server for tests and local runs: a real HTTP server that accepts ntfy's plain
// publish (POST /<topic>, body = message, Title/Priority/Tags headers) and records what arrived.
// By hand: `npx tsx src/testing/fake-ntfy.ts [port]` prints its URL and logs each message.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ReceivedNtfyMessage {
  /** The request path, i.e. `/<topic>`. */
  path: string;
  title: string | null;
  priority: string | null;
  tags: string[];
  body: string;
}

export interface FakeNtfy {
  url: string;
  received: ReceivedNtfyMessage[];
  /** How many publishes have been answered (lags `received` while a delay holds answers back). */
  answeredCount(): number;
  /** Answer every later publish only after this many ms (a slow or hanging ntfy). */
  setDelay(milliseconds: number): void;
  /** Answer every later publish with this status (e.g. 500); 200 is ntfy's success. */
  setStatus(status: number): void;
  /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedNtfyMessage[]>;
  close(): Promise<void>;
}

export interface StartFakeNtfyOptions {
  port?: number;
  host?: string;
  onMessage?: (message: ReceivedNtfyMessage) => void;
}

/**
 * ntfy accepts RFC 2047 encoded words (`=?UTF-8?B?...?=` / `?Q?`) in its headers, which is how
 * a client sends non-Latin-1 titles; decode them as ntfy does.
 */
export function decodeRfc2047(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_match, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'),
  );
}

/** ntfy reads each setting from several header spellings; these are the ones the hub may use. */
function header(request: http.IncomingMessage, ...names: string[]): string | null {
  for (const name of names) {
    const value = request.headers[name.toLowerCase()];
    if (typeof value === 'string') return decodeRfc2047(value);
  }
  return null;
}

export async function startFakeNtfy(options: StartFakeNtfyOptions = {}): Promise<FakeNtfy> {
  const received: ReceivedNtfyMessage[] = [];
  const waiters = new Set<() => void>();
  const pendingAnswers = new Set<NodeJS.Timeout>();
  let delayMs = 0;
  let status = 200;
  let answered = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' && request.method !== 'PUT') {
        response.writeHead(405, { 'Content-Type': 'application/json' }).end('{"error":"method not allowed"}');
        return;
      }
      const message: ReceivedNtfyMessage = {
        path: request.url ?? '/',
        title: header(request, 'Title', 'X-Title', 't'),
        priority: header(request, 'Priority', 'X-Priority', 'p'),
        tags: (header(request, 'Tags', 'X-Tags', 'ta') ?? '').split(',').map((tag) => tag.trim()).filter(Boolean),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      // Recorded on arrival, answered after the delay: a test sees that the hub posted even
      // while the hub is still waiting for the answer.
      received.push(message);
      options.onMessage?.(message);
      for (const wake of waiters) wake();
      const answer = () => {
        answered += 1;
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(status === 200 ? { event: 'message', topic: message.path.slice(1), message: message.body } : { error: 'fake failure' }));
      };
      if (delayMs <= 0) return answer();
      const timer = setTimeout(() => {
        pendingAnswers.delete(timer);
        answer();
      }, delayMs);
      pendingAnswers.add(timer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { address: string; port: number };
  const displayHost = address.address.includes(':') ? `[${address.address}]` : address.address;

  return {
    url: `http://${displayHost}:${address.port}`,
    received,
    answeredCount: () => answered,
    setDelay(milliseconds) {
      delayMs = milliseconds;
    },
    setStatus(code) {
      status = code;
    },
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          cleanup();
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake ntfy: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const timer of pendingAnswers) clearTimeout(timer);
      pendingAnswers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  const fake = await startFakeNtfy({
    port,
    onMessage: (message) => {
      const tags = message.tags.length > 0 ? ` [${message.tags.join(',')}]` : '';
      console.log(`${message.path} p${message.priority ?? '3'}${tags} ${message.title ?? '(no title)'}: ${message.body}`);
    },
  });
  console.log(`fake ntfy listening on ${fake.url} (set MESH_NTFY_URL=${fake.url})`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
