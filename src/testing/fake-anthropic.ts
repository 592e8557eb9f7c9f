// A fake Anthropic Messages API for tests and for trying the mesh without a key: a real HTTP
// server answering POST /v1/messages as the SDK expects, plain JSON or streamed SSE, with
// deterministic replies and token counts. By hand: `npm run fake:anthropic -- [--port N]` (default port 4110).
// Its reply, token and HTTP helpers are shared by the other fakes, so all of them answer alike.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FAKE_ANTHROPIC_PORT, runFakeServer } from './fake-server-cli';

export interface FakeModelRequest {
  model: string;
  /** The text of the last user message. */
  prompt: string;
  stream: boolean;
}

export interface FakeChatMessage {
  role: string;
  text: string;
}

/** What a reply function is told besides the prompt. */
export interface FakeReplyContext {
  messages: FakeChatMessage[];
  /** Assistant turns already in the conversation: 0 for a fresh prompt. */
  turn: number;
}

export interface StartFakeAnthropicOptions {
  /** The reply for a prompt; default `echo: <prompt>` (or the script's, when one is given). */
  reply?: (prompt: string, context: FakeReplyContext) => string;
  /**
   * Scripted replies by conversation turn: the first for a fresh prompt, the second once the
   * conversation holds one assistant turn (e.g. a [TOOL_CALL], then the final answer), and so on;
   * the last repeats. Per conversation, so concurrent tasks each get the whole script.
   */
  script?: string[];
  /** Pause between streamed events; default 5. */
  chunkDelayMs?: number;
  /** Answer the first N requests with 529 overloaded (the SDK retries those). */
  failFirst?: number;
  /** Accept only this key; by default any non-empty key is accepted. */
  apiKey?: string;
  port?: number;
  host?: string;
}

export interface FakeAnthropic {
  /** The base URL for the SDK (`baseURL`) or ANTHROPIC_BASE_URL. */
  url: string;
  /** Every authenticated request, including those failed on purpose. */
  requests: FakeModelRequest[];
  /** Each request's messages as role and text, index for index with `requests` (a continued conversation has several). */
  conversations: FakeChatMessage[][];
  close(): Promise<void>;
}

/** The fakes' reply when a test supplies none. */
export function echoReply(prompt: string): string {
  return `echo: ${prompt}`;
}

/** The fakes' token count for a text: about four characters a token, at least one. */
export function fakeTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** A reply cut at word boundaries into at most `maxChunks` pieces, as a model would stream it. */
export function splitReply(text: string, maxChunks = 5): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const perChunk = Math.ceil(words.length / maxChunks);
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += perChunk) chunks.push(words.slice(index, index + perChunk).join(''));
  return chunks;
}

/** Reads a JSON request body; null when it is not JSON. */
export function readJsonBody(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(null);
      }
    });
  });
}

/** The text of a chat message's content, which is a string or a list of blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block: { type?: string; text?: string }) => (block?.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

/** A chat request's messages as role and text. */
export function chatMessages(messages: unknown): FakeChatMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message: { role?: unknown; content?: unknown }) => ({ role: typeof message?.role === 'string' ? message.role : '', text: contentText(message?.content) }));
}

/** The reply function of a fake: the test's own, else its script, else the echo. */
export function fakeReplier(options: { reply?: (prompt: string, context: FakeReplyContext) => string; script?: string[] }): (prompt: string, messages: FakeChatMessage[]) => string {
  return (prompt, messages) => {
    const turn = messages.filter((message) => message.role === 'assistant').length;
    if (options.reply) return options.reply(prompt, { messages, turn });
    if (options.script && options.script.length > 0) return options.script[Math.min(turn, options.script.length - 1)]!;
    return echoReply(prompt);
  };
}

/** The prompt of a chat request: the last user message's text. */
export function lastUserPrompt(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  const lastUser = [...messages].reverse().find((message: { role?: string }) => message?.role === 'user') as { content?: unknown } | undefined;
  return contentText(lastUser?.content);
}

/** A server that answers like a cloud API: listens, tracks sockets and timers so close() is prompt. */
export async function listen(handler: http.RequestListener, options: { port?: number; host?: string }) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { address: string; port: number };
  const displayHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${displayHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes events one by one with a pause between them; stops when the client goes away. */
export async function writeSlowly(response: http.ServerResponse, frames: string[], delayMs: number): Promise<void> {
  for (const frame of frames) {
    if (response.destroyed) return;
    response.write(frame);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  if (!response.destroyed) response.end();
}

function sendError(response: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', 'request-id': `req_${randomUUID()}`, ...headers });
  response.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

/** The key the client sent: `x-api-key` (the API's header) or a bearer token (what SDK 1.x sends). */
function presentedKey(request: http.IncomingMessage): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer || null;
}

export async function startFakeAnthropic(options: StartFakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const reply = fakeReplier(options);
  const chunkDelayMs = options.chunkDelayMs ?? 5;
  const requests: FakeModelRequest[] = [];
  const conversations: FakeChatMessage[][] = [];
  let failuresLeft = options.failFirst ?? 0;

  const server = await listen(async (request, response) => {
    if (request.url?.split('?')[0] !== '/v1/messages') return sendError(response, 404, 'not_found_error', 'Not found');
    if (request.method !== 'POST') return sendError(response, 405, 'invalid_request_error', 'Method not allowed');
    const key = presentedKey(request);
    if (!key) return sendError(response, 401, 'authentication_error', 'x-api-key header is required');
    if (options.apiKey !== undefined && key !== options.apiKey) return sendError(response, 401, 'authentication_error', 'invalid x-api-key');

    const body = (await readJsonBody(request)) as { model?: unknown; max_tokens?: unknown; messages?: unknown; stream?: unknown } | null;
    if (!body || typeof body.model !== 'string' || typeof body.max_tokens !== 'number' || !Array.isArray(body.messages)) {
      return sendError(response, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
    }
    const prompt = lastUserPrompt(body.messages);
    const messages = chatMessages(body.messages);
    const stream = body.stream === true;
    requests.push({ model: body.model, prompt, stream });
    conversations.push(messages);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      // retry-after-ms keeps the SDK's retry quick in tests.
      return sendError(response, 529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '10' });
    }

    const text = reply(prompt, messages);
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const inputTokens = fakeTokenCount(prompt);
    const outputTokens = fakeTokenCount(text);
    const message = { id, type: 'message', role: 'assistant', model: body.model, stop_sequence: null };

    if (!stream) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          ...message,
          content: [{ type: 'text', text, citations: null }],
          stop_reason: 'end_turn',
          usage: { input_tokens: inputTokens, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        }),
      );
      return;
    }

    const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const frames = [
      event('message_start', {
        message: { ...message, content: [], stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
      }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '', citations: null } }),
      event('ping', {}),
      ...splitReply(text).map((piece) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } })),
      event('content_block_stop', { index: 0 }),
      event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } }),
      event('message_stop', {}),
    ];
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    await writeSlowly(response, frames, chunkDelayMs);
  }, options);

  return { url: server.url, requests, conversations, close: server.close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runFakeServer({
    script: 'fake:anthropic',
    what: 'fake Anthropic API',
    defaultPort: FAKE_ANTHROPIC_PORT,
    start: (address) => startFakeAnthropic(address),
    usage: (url) => `set ANTHROPIC_BASE_URL=${url} and any ANTHROPIC_API_KEY`,
  });
}
