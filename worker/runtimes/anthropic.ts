// The `anthropic` runtime: the Anthropic Messages API through @anthropic-ai/sdk, streamed, with
// the API's own token counts as the usage.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { loadConfigWithSource } from '@anthropic-ai/sdk/core/credentials';
import { findModelPrice, priceUsage } from '../../src/lib/prices';
import { RuntimeError, redactSecret, stoppedError, watchRunLimits, type RunOptions, type Runtime, type RuntimeResult, type RuntimeTask, type RuntimeUsage } from './runtime';

export interface AnthropicRuntimeOptions {
  /** Defaults to the SDK's own: ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN / a profile). */
  apiKey?: string;
  /** Defaults to the SDK's own: ANTHROPIC_BASE_URL, else api.anthropic.com. */
  baseURL?: string;
  /** For tasks that name no model. */
  defaultModel: string;
  maxTokens?: number;
  /** The SDK retries 408/409/429/5xx with backoff; 2 by default, as the SDK does. */
  maxRetries?: number;
}

export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
const MAX_DETAIL_CHARS = 300;

interface ApiErrorBody {
  error?: { type?: string; message?: string };
}

/** One line for the operator: what failed, from the API's own words where it gave some. */
function describeFailure(error: unknown, baseURL: string): string {
  if (error instanceof APIConnectionTimeoutError) return `no answer from ${baseURL} in time`;
  if (error instanceof APIConnectionError) return `cannot reach ${baseURL}`;
  if (error instanceof APIError && error.status !== undefined) {
    const detail = (error.error as ApiErrorBody | undefined)?.error?.message ?? error.message;
    if (error.status === 401) return `authentication failed (HTTP 401: ${detail}); check the API key (ANTHROPIC_API_KEY)`;
    return `HTTP ${error.status}: ${detail}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // The SDK's words when it found no credential anywhere (option, environment, profile).
  if (message.startsWith('Could not resolve authentication method')) return 'no API key: set ANTHROPIC_API_KEY or pass apiKey';
  return message;
}

/**
 * None of the SDK's ways to authenticate is set up: a key or token (option or environment), or a
 * credential profile the SDK reads from its config directory (ANTHROPIC_PROFILE, federation).
 */
async function anthropicCredentialProblem(client: Anthropic): Promise<string | null> {
  if (client.apiKey || client.authToken) return null;
  try {
    if (await loadConfigWithSource()) return null;
  } catch (error) {
    return `the anthropic runtime cannot read its credential profile: ${redactSecret(error instanceof Error ? error.message : String(error), null).slice(0, MAX_DETAIL_CHARS)}`;
  }
  return 'the anthropic runtime needs an API key: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy or the fake: npm run fake:anthropic)';
}

function usageFrom(model: string, usage: { input_tokens: number; output_tokens: number }): RuntimeUsage {
  const tokens = { model, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens };
  // Priced only for models in the hub's table: an unknown model's cost is unknown, not zero.
  return findModelPrice(model) ? { ...tokens, costUsd: priceUsage(tokens).costUsd } : tokens;
}

export function createAnthropicRuntime(options: AnthropicRuntimeOptions): Runtime {
  // undefined lets the SDK read its environment variables; the client is made once per worker.
  const client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: options.maxRetries });
  const maxTokens = options.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;

  return {
    name: 'anthropic',
    startupProblem: () => anthropicCredentialProblem(client),
    conversational: true,
    async run(task: RuntimeTask, runOptions: RunOptions): Promise<RuntimeResult> {
      const limits = watchRunLimits(runOptions);
      if (limits.stopReason) throw stoppedError('anthropic', limits.stopReason, runOptions.timeoutMs);
      const model = task.model || options.defaultModel;
      try {
        const stream = client.messages.stream(
          { model, max_tokens: maxTokens, messages: task.conversation ?? [{ role: 'user', content: task.prompt }] },
          { signal: limits.signal },
        );
        stream.on('text', (delta) => {
          if (!limits.stopReason && delta) runOptions.onChunk(delta);
        });
        const message = await stream.finalMessage();
        const output = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
        return { output, usage: usageFrom(message.model || model, message.usage) };
      } catch (error) {
        if (limits.stopReason) throw stoppedError('anthropic', limits.stopReason, runOptions.timeoutMs);
        const detail = redactSecret(describeFailure(error, client.baseURL), client.apiKey ?? options.apiKey).slice(0, MAX_DETAIL_CHARS);
        throw new RuntimeError(`anthropic runtime: ${detail}`, 'failed');
      } finally {
        limits.dispose();
      }
    },
  };
}
