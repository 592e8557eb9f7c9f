// The `openai` runtime: any OpenAI-compatible chat completions server (OpenAI, Ollama,
// llama.cpp, vLLM, ...) over fetch, streamed as server-sent events.
import { RuntimeError, redactSecret, stoppedError, watchRunLimits, type RunOptions, type Runtime, type RuntimeResult, type RuntimeTask, type RuntimeUsage } from './runtime';

export interface OpenAiRuntimeOptions {
  /**
   * The API root as OpenAI's SDKs take it (`https://api.openai.com/v1`,
   * `http://localhost:11434/v1`); a bare origin gets `/v1`. Defaults to OPENAI_BASE_URL.
   */
  baseURL?: string;
  /** Sent as a bearer token; local servers usually need none. Defaults to OPENAI_API_KEY. */
  apiKey?: string;
  /** For tasks that name no model. */
  defaultModel: string;
}

const MAX_DETAIL_CHARS = 300;

interface ChatCompletionChunk {
  model?: string;
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

/** `<root>/chat/completions`; a root with no path is taken to mean the usual `/v1`. */
export function chatCompletionsUrl(baseURL: string): string {
  const url = new URL(baseURL);
  const root = url.pathname.replace(/\/+$/, '');
  url.pathname = `${root || '/v1'}/chat/completions`;
  return url.toString();
}

/**
 * Splits a server-sent event stream into its events' data (the `data:` lines of one event,
 * joined by newlines, as the SSE spec says); comments and other fields are skipped.
 */
async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let dataLines: string[] = [];
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (dataLines.length > 0) yield dataLines.join('\n');
        dataLines = [];
      } else if (line.startsWith('data:')) {
        dataLines.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:')) dataLines.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
  if (dataLines.length > 0) yield dataLines.join('\n');
}

/** The server's own error message from an error body (OpenAI's `{error: {message}}` or plain text). */
function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.error?.message ?? parsed.message ?? text;
  } catch {
    return text;
  }
}

export function createOpenAiRuntime(options: OpenAiRuntimeOptions): Runtime {
  const baseURL = options.baseURL ?? process.env.OPENAI_BASE_URL;
  if (!baseURL) throw new Error('the openai runtime needs a server: set OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama, or https://api.openai.com/v1 with OPENAI_API_KEY)');
  const endpoint = chatCompletionsUrl(baseURL);
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  const origin = new URL(endpoint).origin;

  const fail = (detail: string) => new RuntimeError(`openai runtime: ${redactSecret(detail, apiKey).slice(0, MAX_DETAIL_CHARS)}`, 'failed');

  return {
    name: 'openai',
    // Local servers (Ollama, llama.cpp, vLLM) take no key; OpenAI's own API refuses every call without one.
    startupProblem: async () =>
      !apiKey && new URL(endpoint).hostname === 'api.openai.com' ? 'the openai runtime needs OPENAI_API_KEY for api.openai.com (or OPENAI_BASE_URL for a local server)' : null,
    conversational: true,
    async run(task: RuntimeTask, runOptions: RunOptions): Promise<RuntimeResult> {
      const limits = watchRunLimits(runOptions);
      if (limits.stopReason) throw stoppedError('openai', limits.stopReason, runOptions.timeoutMs);
      const model = task.model || options.defaultModel;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'text/event-stream',
            ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify({
            model,
            messages: task.conversation ?? [{ role: 'user', content: task.prompt }],
            stream: true,
            stream_options: { include_usage: true },
          }),
          signal: limits.signal,
        });
        if (!response.ok) {
          const detail = errorDetail((await response.text()).trim());
          const hint = response.status === 401 ? '; check the API key (OPENAI_API_KEY)' : '';
          throw fail(`HTTP ${response.status} from ${origin}${detail ? `: ${detail}` : ''}${hint}`);
        }
        if (!response.body) throw fail(`empty response from ${origin}`);

        let output = '';
        let usage: RuntimeUsage | undefined;
        for await (const data of readSseData(response.body)) {
          if (data.trim() === '[DONE]') continue;
          let chunk: ChatCompletionChunk;
          try {
            chunk = JSON.parse(data) as ChatCompletionChunk;
          } catch {
            throw fail(`unreadable stream event from ${origin}`);
          }
          // Some servers (llama.cpp, vLLM) report a failure mid-stream as an error event.
          if (chunk.error) throw fail(`error from ${origin}: ${typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown')}`);
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) {
            output += text;
            runOptions.onChunk(text);
          }
          if (chunk.usage) {
            usage = { model: chunk.model || model, inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
          }
        }
        return usage ? { output, usage } : { output };
      } catch (error) {
        if (limits.stopReason) throw stoppedError('openai', limits.stopReason, runOptions.timeoutMs);
        if (error instanceof RuntimeError) throw error;
        // fetch's own failures: refused connection, connection lost mid-stream.
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const detail = cause?.code ?? cause?.message;
        throw fail(`request to ${origin} failed${detail ? ` (${detail})` : ''}`);
      } finally {
        limits.dispose();
      }
    },
  };
}
