// The model gateway: the hub's one way to call a model (goal decomposition, summaries, later
// the intelligence layer). The Anthropic Messages API through @anthropic-ai/sdk; key, base URL
// and model come from the hub's config only, never from the SDK's own reading of process.env,
// so a hub (and each test hub) uses exactly what it was configured with. The SDK is loaded on
// the first call (~5 MB of heap an idle hub, or one without a key, does not keep).
import type Anthropic from '@anthropic-ai/sdk';
import type { HubConfig } from '../config';

/** What the operator is told when a feature needs the gateway and no key is set. */
export const MODEL_NOT_CONFIGURED =
  'No model is configured for the hub: set ANTHROPIC_API_KEY (and optionally ANTHROPIC_BASE_URL and MESH_HUB_MODEL) and restart the hub.';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const MAX_DETAIL_CHARS = 300;

export interface ModelUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionRequest {
  system?: string;
  prompt: string;
  maxTokens: number;
}

export interface Completion {
  text: string;
  usage: ModelUsage;
}

/** A model call that did not produce an answer; the message is safe to show (no key, no stack). */
export class ModelGatewayError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_configured' | 'failed',
  ) {
    super(message);
    this.name = 'ModelGatewayError';
  }
}

export interface ModelGatewayOptions {
  config: Pick<HubConfig, 'anthropicApiKey' | 'anthropicBaseUrl' | 'hubModel'>;
  /** Every completed call's tokens (the hub logs them as its own cost). */
  onUsage?: (usage: ModelUsage) => Promise<unknown> | void;
  /** The SDK retries 408/409/429/5xx; 2 by default, as the SDK does. */
  maxRetries?: number;
  timeoutMs?: number;
}

interface ApiErrorBody {
  error?: { message?: string };
}

export class ModelGateway {
  readonly configured: boolean;
  readonly model: string;
  private sdk: Promise<{ client: Anthropic; module: typeof import('@anthropic-ai/sdk') }> | null = null;
  private readonly baseURL: string;
  private readonly apiKey: string | undefined;

  constructor(private readonly options: ModelGatewayOptions) {
    this.apiKey = options.config.anthropicApiKey;
    this.baseURL = options.config.anthropicBaseUrl ?? DEFAULT_BASE_URL;
    this.model = options.config.hubModel;
    this.configured = this.apiKey !== undefined;
  }

  private loadSdk(apiKey: string) {
    // Both passed explicitly: with an explicit apiKey the SDK reads no credential from the
    // environment, and an explicit baseURL keeps ANTHROPIC_BASE_URL of the process out.
    return (this.sdk ??= import('@anthropic-ai/sdk').then((module) => ({
      module,
      client: new module.default({ apiKey, baseURL: this.baseURL, maxRetries: this.options.maxRetries, timeout: this.options.timeoutMs ?? 120_000 }),
    })));
  }

  /** One non-streamed completion; throws ModelGatewayError when unconfigured or when the call fails. */
  async complete(request: CompletionRequest): Promise<Completion> {
    if (!this.apiKey) throw new ModelGatewayError(MODEL_NOT_CONFIGURED, 'not_configured');
    const sdk = await this.loadSdk(this.apiKey);
    let message: Anthropic.Message;
    try {
      message = await sdk.client.messages.create({
        model: this.model,
        max_tokens: request.maxTokens,
        ...(request.system ? { system: request.system } : {}),
        messages: [{ role: 'user', content: request.prompt }],
      });
    } catch (error) {
      throw new ModelGatewayError(`The model call failed: ${this.describeFailure(sdk.module, error)}`, 'failed');
    }
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    const usage: ModelUsage = { model: message.model || this.model, inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
    if (this.options.onUsage) {
      // Cost logging must not turn an answered call into a failure.
      await Promise.resolve(this.options.onUsage(usage)).catch(() => undefined);
    }
    return { text, usage };
  }

  private describeFailure({ APIConnectionError, APIConnectionTimeoutError, APIError }: typeof import('@anthropic-ai/sdk'), error: unknown): string {
    let detail: string;
    if (error instanceof APIConnectionTimeoutError) detail = `no answer from ${this.baseURL} in time`;
    else if (error instanceof APIConnectionError) detail = `cannot reach ${this.baseURL}`;
    else if (error instanceof APIError && error.status !== undefined) {
      const apiMessage = (error.error as ApiErrorBody | undefined)?.error?.message ?? error.message;
      detail = error.status === 401 ? `authentication failed (HTTP 401); check ANTHROPIC_API_KEY` : `HTTP ${error.status}: ${apiMessage}`;
    } else detail = error instanceof Error ? error.message : String(error);
    // Never echo the key, whatever an upstream error message contains.
    if (this.apiKey) detail = detail.split(this.apiKey).join('[redacted]');
    return detail.slice(0, MAX_DETAIL_CHARS);
  }
}
