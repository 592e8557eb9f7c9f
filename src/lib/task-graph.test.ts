import { describe, expect, it } from 'vitest';
import { utf8Bytes } from './limits';
import { injectParentOutputs, OWN_TASK_HEADER, PARENT_OUTPUTS_HEADER } from './task-graph';

describe('injectParentOutputs', () => {
  it('puts each output in a block labelled with its parent, ahead of the task', () => {
    const prompt = injectParentOutputs('compare them', [
      { id: 'a', title: 'Prices', output: '4.99' },
      { id: 'b', title: 'Reviews', output: null },
    ]);
    expect(prompt).toBe(
      `${PARENT_OUTPUTS_HEADER}\n\n<<< output of "Prices" (task a)\n4.99\n>>>\n\n<<< output of "Reviews" (task b)\n(no output)\n>>>\n\n${OWN_TASK_HEADER}\ncompare them`,
    );
    expect(injectParentOutputs('alone', [])).toBe('alone');
  });

  it('stays within the limit, cutting long outputs and giving what short ones leave to the others', () => {
    const parents = [
      { id: 'a', title: 'Long', output: 'é'.repeat(10_000) },
      { id: 'b', title: 'Short', output: 'tiny' },
      { id: 'c', title: 'Longer', output: 'z'.repeat(50_000) },
    ];
    const prompt = injectParentOutputs('the task', parents, 8 * 1024);
    expect(utf8Bytes(prompt)).toBeLessThanOrEqual(8 * 1024);
    expect(utf8Bytes(prompt)).toBeGreaterThan(8 * 1024 - 16);
    expect(prompt).toContain('tiny\n>>>');
    expect(prompt.match(/\[output truncated to fit the prompt limit\]/g)).toHaveLength(2);
    expect(prompt).not.toContain('\uFFFD');
    expect(prompt.endsWith('YOUR TASK:\nthe task')).toBe(true);
  });

  it('leaves the prompt as it is when not even the framing fits', () => {
    const full = 'x'.repeat(8 * 1024 - 10);
    expect(injectParentOutputs(full, [{ id: 'a', title: 'A', output: 'out' }], 8 * 1024)).toBe(full);
  });
});
