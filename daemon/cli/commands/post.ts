// `mesh post "message"`: posts to the mesh chat (the spec's mesh-post), as whoever the token is.
import { DEFAULT_CHANNEL, messagesSendInput } from '../../../src/lib/messages';
import { requireText, stringOption, UsageError } from '../args';
import type { CommandSpec } from '../command';

export const postCommand: CommandSpec = {
  name: 'post',
  usage: 'post "message" [--channel C]',
  summary: 'post a message to the mesh chat (the spec’s mesh-post)',
  details: ['The sender is the token’s identity: "operator" for the master token, the agent id for an agent token.'],
  options: [{ name: 'channel', kind: 'string', placeholder: 'C', description: `the channel (default ${DEFAULT_CHANNEL})` }],
  async run({ hub, out, args, options }) {
    const parsed = messagesSendInput.safeParse({ content: requireText(args, 'a message', 'post'), channel: stringOption(options, 'channel') });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${issue.path[0] === 'channel' ? '--channel' : 'the message'}: ${issue.message}`);
    }
    const message = await hub.client.messages.send.mutate(parsed.data, hub.request());
    out.line(`posted to #${message.channel} as ${message.sender} (message ${message.id})`);
    return 0;
  },
};
