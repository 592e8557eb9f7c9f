import { describe, expect, it } from 'vitest';
import type { Runtime, RuntimeTask } from './runtimes/runtime';
import { MAX_TOOL_ROUNDS, runWithToolCalls, transcriptPrompt, type ToolCallRequest } from './tool-loop';

/** A model in memory: answers from a script by round, records what it was given. */
function scriptedRuntime(name: Runtime['name'], conversational: boolean, answers: string[]) {
  const seen: RuntimeTask[] = [];
  const runtime: Runtime = {
    name,
    conversational,
    startupProblem: async () => null,
    async run(task, options) {
      seen.push(task);
      const output = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      options.onChunk(output);
      return { output, usage: { model: 'm', inputTokens: 10, outputTokens: 2, costUsd: 0.5 } };
    },
  };
  return { runtime, seen };
}

const options = (chunks: string[]) => ({ signal: new AbortController().signal, timeoutMs: 60_000, onChunk: (text: string) => chunks.push(text) });

describe('runWithToolCalls', () => {
  it('continues a conversational runtime with the results as the next user turn, summing usage', async () => {
    const { runtime, seen } = scriptedRuntime('anthropic', true, ['[TOOL_CALL] {"tool":"web_search","query":"q"} [/TOOL_CALL]', 'final']);
    const calls: ToolCallRequest[] = [];
    const chunks: string[] = [];
    const result = await runWithToolCalls(runtime, { taskId: 't', prompt: 'task' }, options(chunks), async (call) => {
      calls.push(call);
      return { ok: true, text: 'found it' };
    });
    expect(result).toEqual({ output: 'final', usage: { model: 'm', inputTokens: 20, outputTokens: 4, costUsd: 1 }, toolRounds: 1 });
    expect(calls).toEqual([{ tool: 'web_search', args: { query: 'q' } }]);
    expect(seen[1]!.conversation!.map((turn) => turn.role)).toEqual(['user', 'assistant', 'user']);
    expect(seen[1]!.conversation![2]!.content).toMatch(/^\[TOOL_RESULT tool="web_search" ok\]\nfound it\n\[\/TOOL_RESULT\]/);
    expect(chunks.join('')).toContain('[TOOL_RESULT tool="web_search" ok]');
  });

  it('re-runs a non-conversational runtime with a transcript whose old calls are defused, and stops after the round limit', async () => {
    const call = '[TOOL_CALL] {"tool":"web_search","query":"again"} [/TOOL_CALL]';
    const { runtime, seen } = scriptedRuntime('claude-cli', false, [call]);
    let invocations = 0;
    const result = await runWithToolCalls(runtime, { taskId: 't', prompt: 'task' }, options([]), async () => {
      invocations += 1;
      return { ok: false, text: 'the hub refused the call (429): slow down' };
    });
    expect(invocations).toBe(MAX_TOOL_ROUNDS);
    expect(seen).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(result.toolRounds).toBe(MAX_TOOL_ROUNDS);
    expect(seen[1]!.conversation).toBeUndefined();
    expect(seen[1]!.prompt).toBe(transcriptPrompt([
      { role: 'user', content: 'task' },
      { role: 'assistant', content: call },
      { role: 'user', content: seen[1]!.prompt.slice(seen[1]!.prompt.indexOf('[TOOL_RESULT')) },
    ]));
    expect(seen[1]!.prompt).toContain('(TOOL_CALL] {"tool":"web_search","query":"again"} (/TOOL_CALL]');
    expect(seen.at(-1)!.prompt).toContain('That was the last round of tool calls');
  });

  it('leaves the command runtime alone', async () => {
    const { runtime, seen } = scriptedRuntime('command', false, ['[TOOL_CALL] {"tool":"x"} [/TOOL_CALL]']);
    const result = await runWithToolCalls(runtime, { taskId: 't', prompt: 'p' }, options([]), async () => {
      throw new Error('must not be called');
    });
    expect(result.toolRounds).toBe(0);
    expect(seen).toHaveLength(1);
  });
});
