// The worker's [TOOL_CALL] loop (spec 17): when a model's answer contains tool calls, each is
// invoked through the hub (plugins.invoke), and the conversation continues with the results as
// the next user turn — through the API's messages for the anthropic and openai runtimes, or, for
// claude-cli, by running the CLI again with the whole transcript as its prompt. At most
// MAX_TOOL_ROUNDS rounds per task; the answer after the last round is final even if it asks for
// more. The `command` runtime is not a model and is never looped.
//
// What the hub sees: every answer and every tool result streams as partial output, in order, so
// the task's stream shows the work; the reported output is the final answer; the usage is the
// sum over all rounds. The task's time limit covers the whole loop, not each round.
import { defuseMarkers, formatToolResults, parseToolCalls, type ToolCallOutcome } from '../src/lib/tool-calls';
import { RuntimeError, type ConversationTurn, type RunOptions, type Runtime, type RuntimeResult, type RuntimeTask, type RuntimeUsage } from './runtimes/runtime';

export const MAX_TOOL_ROUNDS = 5;

export interface ToolCallRequest {
  tool: string;
  args: Record<string, unknown>;
}

/** Runs one tool; resolves with its text or a refusal's message, never rejects. */
export type ToolInvoker = (call: ToolCallRequest, signal: AbortSignal) => Promise<{ ok: boolean; text: string }>;

export interface ToolLoopResult extends RuntimeResult {
  /** Rounds of tool calls made (0 when the first answer needed no tool). */
  toolRounds: number;
}

export function supportsToolCalls(runtime: Pick<Runtime, 'name'>): boolean {
  return runtime.name !== 'command';
}

const CONTINUE_NOTE = 'Continue the task with these tool results. Call a tool again only if you still need one.';
const LAST_ROUND_NOTE = 'That was the last round of tool calls for this task: give your final answer now.';

/** The prompt that re-runs a non-conversational runtime: the task, then each answer and its tool results. */
export function transcriptPrompt(turns: ConversationTurn[]): string {
  const [first, ...rest] = turns;
  const parts = [first?.content ?? ''];
  for (const turn of rest) {
    // Earlier answers' markers are defused: only the new answer's calls count.
    parts.push(turn.role === 'assistant' ? `[YOUR EARLIER ANSWER]\n${defuseMarkers(turn.content)}\n[/YOUR EARLIER ANSWER]` : turn.content);
  }
  return parts.join('\n\n');
}

function addUsage(total: RuntimeUsage | undefined, next: RuntimeUsage | undefined): RuntimeUsage | undefined {
  if (!total) return next;
  if (!next) return total;
  const costUsd = total.costUsd !== undefined && next.costUsd !== undefined ? total.costUsd + next.costUsd : undefined;
  return { model: total.model, inputTokens: total.inputTokens + next.inputTokens, outputTokens: total.outputTokens + next.outputTokens, ...(costUsd === undefined ? {} : { costUsd }) };
}

export async function runWithToolCalls(
  runtime: Runtime,
  task: RuntimeTask,
  options: RunOptions,
  invokeTool: ToolInvoker,
  log: (line: string) => void = () => undefined,
  maxRounds = MAX_TOOL_ROUNDS,
): Promise<ToolLoopResult> {
  if (!supportsToolCalls(runtime)) return { ...(await runtime.run(task, options)), toolRounds: 0 };
  const deadline = Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? Date.now() + options.timeoutMs : Infinity;
  const remaining = () => {
    if (deadline === Infinity) return options.timeoutMs;
    const left = deadline - Date.now();
    if (left <= 0) throw new RuntimeError(`${runtime.name} runtime: timed out after ${options.timeoutMs} ms`, 'timeout');
    return left;
  };
  const turns: ConversationTurn[] = [{ role: 'user', content: task.prompt }];
  let usage: RuntimeUsage | undefined;
  for (let round = 0; ; round += 1) {
    const current: RuntimeTask =
      round === 0 ? task : runtime.conversational ? { ...task, conversation: turns } : { taskId: task.taskId, model: task.model, prompt: transcriptPrompt(turns) };
    if (round > 0) options.onChunk('\n\n');
    const result = await runtime.run(current, { ...options, timeoutMs: remaining() });
    usage = addUsage(usage, result.usage);
    const scan = parseToolCalls(result.output);
    if (scan.calls.length === 0) return { output: result.output, usage, toolRounds: round };
    if (round >= maxRounds) {
      log(`task ${task.taskId}: the answer asks for tools after ${maxRounds} rounds; it is reported as final`);
      return { output: result.output, usage, toolRounds: round };
    }

    const outcomes: ToolCallOutcome[] = [];
    for (const call of scan.calls) {
      if (options.signal.aborted) throw new RuntimeError(`${runtime.name} runtime: cancelled`, 'aborted');
      if (!call.ok) {
        outcomes.push({ tool: null, ok: false, text: call.error });
        continue;
      }
      const outcome = await invokeTool({ tool: call.tool, args: call.args }, options.signal);
      log(`task ${task.taskId}: tool ${call.tool} ${outcome.ok ? 'answered' : `refused: ${outcome.text.slice(0, 120)}`}`);
      outcomes.push({ tool: call.tool, ok: outcome.ok, text: outcome.text });
    }
    const notes = [
      ...(scan.skipped > 0 ? [`${scan.skipped} more tool call(s) in your answer were not run (at most ${scan.calls.length} per answer).`] : []),
      round + 1 >= maxRounds ? LAST_ROUND_NOTE : CONTINUE_NOTE,
    ];
    const toolTurn = formatToolResults(outcomes, notes.join(' '));
    options.onChunk(`\n\n${toolTurn}`);
    turns.push({ role: 'assistant', content: result.output }, { role: 'user', content: toolTurn });
  }
}
