// A fake OpenAI-compatible server (what Ollama, llama.cpp and vLLM also speak) for tests and for
// trying the mesh without a model: POST /v1/chat/completions, streamed or plain, deterministic
// replies and token counts. By hand: `npm run fake:openai -- [--port N]` (default port 4111).
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chatMessages, echoReply, fakeReplier, fakeTokenCount, lastUserPrompt, listen, readJsonBody, splitReply, writeSlowly, type FakeChatMessage, type FakeModelRequest, type FakeReplyContext } from './fake-anthropic';
import { FAKE_OPENAI_PORT, runFakeServer } from './fake-server-cli';

export interface FakeOpenAiRequest extends FakeModelRequest {
  /** Whether the client asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
}

export interface StartFakeOpenAiOptions {
  /** The reply for a prompt; default `echo: <prompt>` (or the script's, when one is given). */
  reply?: (prompt: string, context: FakeReplyContext) => string;
  /** Scripted replies by conversation turn, as the fake Anthropic API's `script`. */
  script?: string[];
  /** Pause between streamed chunks; default 5. */
  chunkDelayMs?: number;
  /** Answer the first N requests with HTTP 500. */
  failFirst?: number;
  /** Require this bearer key; by default no key is needed, as with a local model server. */
  apiKey?: string;
  port?: number;
  host?: string;
}

export interface FakeOpenAi {
  /** The server's origin; OpenAI clients take `${url}/v1` as their base URL. */
  url: string;
  /** Every authenticated request, including those failed on purpose. */
  requests: FakeOpenAiRequest[];
  /** Each request's messages as role and text, index for index with `requests`. */
  conversations: FakeChatMessage[][];
  close(): Promise<void>;
}

function sendError(response: http.ServerResponse, status: number, type: string, message: string) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

export async function startFakeOpenAi(options: StartFakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const reply = fakeReplier(options);
  const chunkDelayMs = options.chunkDelayMs ?? 5;
  const requests: FakeOpenAiRequest[] = [];
  const conversations: FakeChatMessage[][] = [];
  let failuresLeft = options.failFirst ?? 0;

  const server = await listen(async (request, response) => {
    if (request.url?.split('?')[0] !== '/v1/chat/completions') return sendError(response, 404, 'invalid_request_error', 'Not found');
    if (request.method !== 'POST') return sendError(response, 405, 'invalid_request_error', 'Method not allowed');
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(response, 401, 'invalid_request_error', 'Incorrect API key provided');
    }

    const body = (await readJsonBody(request)) as { model?: unknown; messages?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } } | null;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return sendError(response, 400, 'invalid_request_error', 'model and messages are required');
    }
    const prompt = lastUserPrompt(body.messages);
    const messages = chatMessages(body.messages);
    const stream = body.stream === true;
    const includeUsage = stream && body.stream_options?.include_usage === true;
    requests.push({ model: body.model, prompt, stream, includeUsage });
    conversations.push(messages);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return sendError(response, 500, 'server_error', 'The server had an error while processing your request');
    }

    const text = reply(prompt, messages);
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: fakeTokenCount(prompt), completion_tokens: fakeTokenCount(text), total_tokens: fakeTokenCount(prompt) + fakeTokenCount(text) };

    if (!stream) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }

    const chunk = (choices: object[], extra: object = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`;
    // With include_usage, OpenAI sends usage: null on every chunk and the totals on a last chunk with no choices.
    const usageField = includeUsage ? { usage: null } : {};
    const frames = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], usageField),
      ...splitReply(text).map((piece) => chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], usageField)),
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usageField),
      ...(includeUsage ? [chunk([], { usage })] : []),
      'data: [DONE]\n\n',
    ];
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    await writeSlowly(response, frames, chunkDelayMs);
  }, options);

  return { url: server.url, requests, conversations, close: server.close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runFakeServer({
    script: 'fake:openai',
    what: 'fake OpenAI-compatible server',
    defaultPort: FAKE_OPENAI_PORT,
    start: (address) => startFakeOpenAi(address),
    usage: (url) => `set OPENAI_BASE_URL=${url}/v1`,
  });
}
