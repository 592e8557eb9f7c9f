// Task dependencies and pipelines (spec section 15): the input schemas every door shares, and the
// one rule for putting the parents' outputs into a child's prompt when its last parent is done.
import { z } from 'zod';
import { LIMITS, truncateToBytes, utf8Bytes } from './limits';
import { tasksCreateInput } from './tasks';

export { MAX_DEPENDENCIES, dependsOnSchema, type DependencyRef } from './task-dependencies';
export const MIN_PIPELINE_STEPS = 2;
export const MAX_PIPELINE_STEPS = 20;

const taskIdRef = z.string().min(1).max(64);

const pipelineStep = tasksCreateInput.omit({ clientRequestId: true, dependsOn: true });

export const pipelinesCreateInput = z.object({
  name: z.string().trim().min(1).max(LIMITS.labelLength),
  /** Step N+1 depends on step N; each is an ordinary task. */
  steps: z.array(pipelineStep).min(MIN_PIPELINE_STEPS, `at least ${MIN_PIPELINE_STEPS} steps`).max(MAX_PIPELINE_STEPS, `at most ${MAX_PIPELINE_STEPS} steps`),
});

export const pipelinesGetInput = z.object({ pipelineId: z.string().min(1).max(64) });
export const pipelinesListInput = z
  .object({ limit: z.number().int().min(1).max(LIMITS.listRows).default(50), cursor: z.string().min(1).max(64).optional() })
  .default({ limit: 50 });
export const tasksLinksInput = z.object({ taskId: taskIdRef });

export interface ParentOutput {
  id: string;
  title: string;
  output: string | null;
}

export const PARENT_OUTPUTS_HEADER = 'OUTPUTS OF THE TASKS THIS ONE DEPENDS ON:';
export const OWN_TASK_HEADER = 'YOUR TASK:';
const TRUNCATED_NOTE = '\n[output truncated to fit the prompt limit]';

const blockStart = (parent: ParentOutput) => `<<< output of "${parent.title}" (task ${parent.id})\n`;
const BLOCK_END = '\n>>>';

/**
 * The child's prompt with each parent's output ahead of it, in a delimited block labelled with the
 * parent's title. The result stays within `maxBytes` (the prompt limit): the room left after the
 * child's own prompt and the framing is shared equally among the parents, a longer output is cut
 * and says so, and a share a shorter output leaves unused goes to the others. Without room for
 * even the framing, the prompt is returned unchanged. Pure, so claim-time injections (memories)
 * compose with it: they see its result as the task's prompt.
 */
export function injectParentOutputs(prompt: string, parents: readonly ParentOutput[], maxBytes: number = LIMITS.promptBytes): string {
  if (parents.length === 0) return prompt;
  const head = `${PARENT_OUTPUTS_HEADER}\n\n`;
  const tail = `\n\n${OWN_TASK_HEADER}\n${prompt}`;
  const framing = utf8Bytes(head) + utf8Bytes(tail) + parents.reduce((sum, parent) => sum + utf8Bytes(blockStart(parent)) + utf8Bytes(BLOCK_END) + 2, 0);
  let room = maxBytes - framing;
  if (room < 0) return prompt;
  const bodies = new Array<string>(parents.length);
  // Shortest first, so what a short output leaves of its share goes to the longer ones.
  const order = parents.map((parent, index) => ({ index, text: parent.output ?? '(no output)' })).sort((a, b) => utf8Bytes(a.text) - utf8Bytes(b.text));
  order.forEach((entry, position) => {
    const share = Math.floor(room / (order.length - position));
    const bytes = utf8Bytes(entry.text);
    let body = entry.text;
    if (bytes > share) {
      const keep = share - utf8Bytes(TRUNCATED_NOTE);
      body = keep > 0 ? truncateToBytes(entry.text, keep) + TRUNCATED_NOTE : '';
    }
    bodies[entry.index] = body;
    room -= utf8Bytes(body);
  });
  const blocks = parents.map((parent, index) => `${blockStart(parent)}${bodies[index]}${BLOCK_END}`).join('\n\n');
  return `${head}${blocks}${tail}`;
}
