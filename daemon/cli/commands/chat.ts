// `mesh chat "text"`: runs a chat command (status, tasks, approve, @agent …, do …, free chat; spec
// section 07) as the token's identity and prints the answer. When the command handed the text to
// an agent (`do`, `@agent`, free chat), the hub's reply only says so: the command then waits for
// that task and prints the agent's answer on stdout (the hub's note goes to stderr), unless
// --no-wait.
import { CHAT_COMMAND_HELP, chatSendInput } from '../../../src/lib/chat-commands';
import { DEFAULT_CHANNEL } from '../../../src/lib/messages';
import { requireText, secondsOption, stringOption, UsageError } from '../args';
import type { CommandSpec } from '../command';
import { CommandFailure, oneLine } from '../errors';
import { truncate } from '../format';
import { waitForTask } from '../task-wait';

const EXIT_INTERRUPTED = 130;

export const chatCommand: CommandSpec = {
  name: 'chat',
  usage: 'chat "text" [--channel C] [--no-wait] [--timeout SECONDS]',
  summary: 'run a chat command (status, pending, approve, @agent …, do …, or free chat) and print the answer',
  details: [
    'The same commands as the dashboard’s chat:',
    ...CHAT_COMMAND_HELP.map((command) => `  ${command.usage.padEnd(20)} ${command.description}`),
    'When the text goes to an agent (do, @agent, free chat) the answer is that agent’s output: it is',
    'printed on stdout when the task is done (the hub’s note goes to stderr), so',
    '`npm run -s mesh -- chat "…" > answer.md` captures it. Exit code: 0 answered; 1 the agent’s task',
    'failed, was cancelled or timed out.',
  ],
  options: [
    { name: 'channel', kind: 'string', placeholder: 'C', description: `the chat channel (default ${DEFAULT_CHANNEL})` },
    { name: 'no-wait', kind: 'boolean', description: 'print the hub’s reply and return, without waiting for an agent’s answer' },
    { name: 'timeout', kind: 'string', placeholder: 'SECONDS', description: 'give up waiting for an agent’s answer after this long (default: wait)' },
  ],
  async run({ hub, out, args, options }) {
    const parsed = chatSendInput.safeParse({ content: requireText(args, 'a chat command or message', 'chat'), channel: stringOption(options, 'channel') });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${issue.path[0] === 'channel' ? '--channel' : 'the text'}: ${issue.message}`);
    }
    const wait = options['no-wait'] !== true;
    const timeoutSeconds = secondsOption(options, 'timeout');
    if (timeoutSeconds !== undefined && !wait) throw new UsageError('--timeout does not go with --no-wait');

    const client = hub.client;
    const result = await client.chat.send.mutate(parsed.data, hub.request());
    // A note (a leading `#`) is stored and shown to people; nothing answers it.
    if (!result.reply) {
      out.line(`note posted to #${result.message.channel}`);
      return 0;
    }
    if (!result.answerTaskId || !wait) {
      out.line(result.reply.content);
      return 0;
    }

    out.note(result.reply.content);
    // An agent token's event stream shows only its own agent's tasks: poll for the others.
    const me = await client.account.me.query(undefined, hub.request());
    const waited = await waitForTask({
      hub,
      taskId: result.answerTaskId,
      timeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
      pollAlways: me.kind === 'agent',
      note: (text) => out.note(text),
    });
    switch (waited.kind) {
      case 'finished': {
        const task = waited.task;
        if (task.status === 'done') {
          out.line(task.output?.replace(/\n$/, '') || '(no output)');
          return 0;
        }
        if (task.status === 'cancelled') throw new CommandFailure(`task ${task.id} was cancelled; no answer will come`);
        throw new CommandFailure(`no answer from ${task.assignedTo ?? 'the agent'}: task ${task.id} failed${task.error ? `: ${truncate(oneLine(task.error), 300)}` : ''}`);
      }
      case 'timeout':
        throw new CommandFailure(`gave up waiting after ${timeoutSeconds} s: task ${waited.taskId} is still ${waited.status}; its answer will be posted to #${result.message.channel}`);
      case 'interrupted':
        throw new CommandFailure(`stopped waiting: task ${waited.taskId} is still ${waited.status}; its answer will be posted to #${result.message.channel}`, EXIT_INTERRUPTED);
    }
  },
};
