// Reads what `claude --print` writes to stdout, in any of its output formats:
// - `--output-format stream-json` (what the runtime asks for): one JSON event a line; each
//   assistant message's text is streamed as it arrives, and the last line is the result event
//   (`result`, `usage: { input_tokens, output_tokens }`, `total_cost_usd`, `modelUsage`);
// - `--output-format json`: that result event alone, printed at the end;
// - text (an older CLI, or a command line that asks for it): passed through as it is.
// A stdout whose first character is not `{` is text. In JSON mode a line that is not a JSON
// object is kept as text too, so nothing the CLI says is lost.

export interface ClaudeUsage {
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  /** The CLI's own figure (`total_cost_usd`), when it printed one. */
  costUsd: number | null;
}

export interface ClaudeOutcome {
  /** The final answer: the result event's `result`, else the streamed text. */
  output: string;
  /** The CLI's token counts; null when it printed none (text mode, or no result event). */
  usage: ClaudeUsage | null;
  /** The result event said the run failed (`is_error`): its words, for the error message. */
  error: string | null;
  format: 'text' | 'json';
}

interface ResultEvent {
  type: 'result';
  subtype?: string;
  is_error?: boolean;
  result?: unknown;
  usage?: { input_tokens?: unknown; output_tokens?: unknown };
  total_cost_usd?: unknown;
  modelUsage?: Record<string, { outputTokens?: unknown; inputTokens?: unknown }>;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/** The model that did most of the work: modelUsage's entry with the most output tokens. */
function mainModel(modelUsage: ResultEvent['modelUsage']): string | null {
  if (!modelUsage || typeof modelUsage !== 'object') return null;
  let best: { model: string; tokens: number } | null = null;
  for (const [model, usage] of Object.entries(modelUsage)) {
    const tokens = count(usage?.outputTokens) + count(usage?.inputTokens);
    if (!best || tokens > best.tokens) best = { model, tokens };
  }
  return best?.model ?? null;
}

export class ClaudeOutputParser {
  private format: 'unknown' | 'text' | 'json' = 'unknown';
  private pending = '';
  private rawText = '';
  private streamedText = '';
  private assistantModel: string | null = null;
  private result: ResultEvent | null = null;

  /** `emit` receives the text to stream, in order. */
  constructor(private readonly emit: (text: string) => void) {}

  /** Raw stdout as it arrives. */
  push(raw: string): void {
    if (this.format === 'text') return this.emitText(raw);
    this.pending += raw;
    if (this.format === 'unknown') {
      const start = this.pending.search(/\S/);
      if (start === -1) return;
      this.format = this.pending[start] === '{' ? 'json' : 'text';
      if (this.format === 'text') {
        const text = this.pending;
        this.pending = '';
        return this.emitText(text);
      }
    }
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) !== -1) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.readLine(line);
    }
  }

  /** At the end of stdout: what the run produced. */
  finish(): ClaudeOutcome {
    if (this.format === 'json' && this.pending) this.readLine(this.pending);
    else if (this.pending) this.emitText(this.pending);
    this.pending = '';
    if (this.format !== 'json') return { output: this.rawText, usage: null, error: null, format: 'text' };
    const result = this.result;
    const finalText = typeof result?.result === 'string' ? result.result : null;
    // `json` mode streams nothing before the result: the answer is then the one chunk.
    if (finalText && !this.streamedText) this.emitPart(finalText);
    const output = finalText ?? this.streamedText;
    const usage: ClaudeUsage | null =
      result?.usage && typeof result.usage === 'object'
        ? {
            model: mainModel(result.modelUsage) ?? this.assistantModel,
            inputTokens: count(result.usage.input_tokens),
            outputTokens: count(result.usage.output_tokens),
            costUsd: typeof result.total_cost_usd === 'number' && result.total_cost_usd >= 0 ? result.total_cost_usd : null,
          }
        : null;
    const error = result?.is_error ? (finalText?.trim() || result.subtype || 'the CLI reported an error') : null;
    return { output, usage, error, format: 'json' };
  }

  private readLine(line: string): void {
    if (!line.trim()) return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      event = null;
    }
    if (!event || typeof event !== 'object' || Array.isArray(event)) return this.emitPart(line);
    const typed = event as { type?: unknown; message?: { model?: unknown; content?: unknown } };
    if (typed.type === 'result') {
      this.result = event as ResultEvent;
      return;
    }
    if (typed.type !== 'assistant' || !typed.message) return; // system, user (tool results), ...
    if (typeof typed.message.model === 'string') this.assistantModel = typed.message.model;
    const content = Array.isArray(typed.message.content) ? typed.message.content : [];
    const text = content
      .map((block: { type?: unknown; text?: unknown }) => (block?.type === 'text' && typeof block.text === 'string' ? block.text : ''))
      .join('');
    if (text) this.emitPart(text);
  }

  /** One assistant message (or stray line) of JSON mode: messages are set apart by a blank line. */
  private emitPart(text: string): void {
    const piece = this.streamedText ? `\n\n${text}` : text;
    this.streamedText += piece;
    this.emit(piece);
  }

  private emitText(text: string): void {
    if (!text) return;
    this.rawText += text;
    this.emit(text);
  }
}
