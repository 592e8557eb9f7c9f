// `mesh task "prompt"`: creates a task; with --wait follows it to the end and prints its output
// on stdout (progress notes go to stderr), exiting 0 when done and 1 when failed, cancelled or
// out of time.
import { DEFAULT_PRIORITY, MAX_PRIORITY, tasksCreateInput } from '../../../src/lib/tasks';
import { integerOption, requireText, secondsOption, stringOption, UsageError } from '../args';
import type { CommandSpec } from '../command';
import { CommandFailure, oneLine } from '../errors';
import { truncate } from '../format';
import { waitForTask } from '../task-wait';

/** The hub's field names, as the flags that set them. */
const FLAG_FOR_FIELD: Record<string, string> = {
  title: '--title',
  prompt: 'the prompt',
  priority: '--priority',
  requiredCapability: '--capability',
  assignTo: '--to',
};

/** Without --title, the prompt's first line names the task. */
export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.split('\n').find((line) => line.trim().length > 0) ?? prompt;
  return truncate(firstLine, 80);
}

const EXIT_INTERRUPTED = 130;

export const taskCommand: CommandSpec = {
  name: 'task',
  usage: 'task "prompt" [--title T] [--capability C] [--priority P] [--to AGENT] [--wait] [--timeout SECONDS]',
  summary: 'create a task; with --wait, print its output when it is done',
  details: [
    'Prints the new task id on stdout. With --wait, stdout gets only the task’s output (progress',
    'notes go to stderr), so `npm run mesh -- task "…" --wait > answer.md` captures the answer.',
    'Exit code with --wait: 0 done; 1 failed, cancelled or timed out. Ctrl-C stops waiting (the',
    'task keeps running on the hub).',
  ],
  options: [
    { name: 'title', kind: 'string', placeholder: 'T', description: 'a short title (default: the prompt’s first line)' },
    { name: 'capability', kind: 'string', placeholder: 'C', description: 'only agents with this capability may take it' },
    { name: 'priority', kind: 'string', placeholder: 'P', description: `0–${MAX_PRIORITY}, higher first (default ${DEFAULT_PRIORITY})` },
    { name: 'to', kind: 'string', placeholder: 'AGENT', description: 'prefer this agent (used when it has a free slot)' },
    { name: 'wait', kind: 'boolean', description: 'wait for the task to finish and print its output' },
    { name: 'timeout', kind: 'string', placeholder: 'SECONDS', description: 'with --wait: give up after this long (default: wait until it finishes)' },
  ],
  async run({ hub, out, args, options }) {
    const prompt = requireText(args, 'a prompt', 'task');
    const wait = options.wait === true;
    const timeoutSeconds = secondsOption(options, 'timeout');
    if (timeoutSeconds !== undefined && !wait) throw new UsageError('--timeout only applies with --wait');
    const parsed = tasksCreateInput.safeParse({
      title: stringOption(options, 'title') ?? titleFromPrompt(prompt),
      prompt,
      priority: integerOption(options, 'priority', { min: 0, max: MAX_PRIORITY }),
      requiredCapability: stringOption(options, 'capability'),
      assignTo: stringOption(options, 'to'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'input');
      throw new UsageError(`${FLAG_FOR_FIELD[field] ?? field}: ${issue.message}`);
    }

    const client = hub.client;
    // Asked first so a bad token fails before a task exists; it also tells whether this token's
    // event stream can show the task's completion (see waitForTask's pollAlways).
    const me = wait ? await client.account.me.query(undefined, hub.request()) : undefined;
    const task = await client.tasks.create.mutate(parsed.data, hub.request());
    if (!wait) {
      out.line(task.id);
      out.note(`created task ${task.id} (${task.status}); see it with: npm run mesh -- tasks`);
      return 0;
    }

    out.note(`created task ${task.id} (${task.status}); waiting for it to finish (Ctrl-C stops waiting, not the task)`);
    const result = await waitForTask({
      hub,
      taskId: task.id,
      timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
      pollAlways: me?.kind === 'agent',
      note: (text) => out.note(text),
    });
    switch (result.kind) {
      case 'finished': {
        const finished = result.task;
        if (finished.status === 'done') {
          if (finished.output) out.line(finished.output.replace(/\n$/, ''));
          else out.note(`task ${finished.id} is done, with no output`);
          return 0;
        }
        if (finished.status === 'cancelled') throw new CommandFailure(`task ${finished.id} was cancelled`);
        throw new CommandFailure(`task ${finished.id} failed${finished.error ? `: ${truncate(oneLine(finished.error), 300)}` : ''}`);
      }
      case 'timeout':
        throw new CommandFailure(`gave up waiting after ${timeoutSeconds} s: task ${result.taskId} is still ${result.status} on the hub`);
      case 'interrupted':
        throw new CommandFailure(`stopped waiting: task ${result.taskId} is still ${result.status} on the hub`, EXIT_INTERRUPTED);
    }
  },
};
