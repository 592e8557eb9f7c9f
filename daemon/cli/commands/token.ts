// `mesh token create|list|revoke`: agent tokens (admin:tokens). A new token is printed once.
import { PRESET_NAMES, PRESETS } from '../../../src/lib/permissions';
import { tokensCreateInput } from '../../../src/lib/tokens';
import { stringOption, UsageError } from '../args';
import type { CommandSpec } from '../command';
import { formatAge, renderTable, truncate } from '../format';

const DEFAULT_PRESET = 'worker';

export const tokenCreateCommand: CommandSpec = {
  name: 'token create',
  usage: 'token create --agent ID [--preset worker|mobile|commander|admin] [--label L]',
  summary: 'create an agent token; it is printed once, on stdout',
  details: [
    `Presets: ${PRESET_NAMES.map((name) => `${name} (${PRESETS[name].length} permissions)`).join(', ')}.`,
    'The admin preset (and anything beyond commander) needs the master token.',
  ],
  options: [
    { name: 'agent', kind: 'string', placeholder: 'ID', description: 'the agent id the token is bound to' },
    { name: 'preset', kind: 'string', placeholder: 'P', description: `permission preset (default ${DEFAULT_PRESET})` },
    { name: 'label', kind: 'string', placeholder: 'L', description: 'a note to tell tokens apart, e.g. the machine' },
  ],
  async run({ hub, out, options }) {
    const agentId = stringOption(options, 'agent');
    if (!agentId) throw new UsageError('token create needs --agent ID');
    const parsed = tokensCreateInput.safeParse({ agentId, preset: stringOption(options, 'preset') ?? DEFAULT_PRESET, label: stringOption(options, 'label') });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'input');
      throw new UsageError(`${field === 'agentId' ? '--agent' : `--${field}`}: ${issue.message}`);
    }
    const created = await hub.client.tokens.create.mutate(parsed.data, hub.request());
    out.note(`created token ${created.view.id} for agent ${created.view.agentId} (preset ${created.view.preset}, ${created.view.permissions.length} permissions)`);
    out.line(created.token);
    out.note('this token is shown only once and cannot be shown again: store it now (as MESH_TOKEN where it is used)');
    return 0;
  },
};

export const tokenListCommand: CommandSpec = {
  name: 'token list',
  usage: 'token list [--agent ID]',
  summary: 'list active agent tokens (never the tokens themselves)',
  options: [{ name: 'agent', kind: 'string', placeholder: 'ID', description: 'only this agent’s tokens' }],
  async run({ hub, out, options }) {
    const agentId = stringOption(options, 'agent');
    const tokens = await hub.client.tokens.list.query(agentId ? { agentId } : {}, hub.request());
    if (tokens.length === 0) {
      out.line(agentId ? `no active tokens for agent ${agentId}` : 'no active agent tokens');
      return 0;
    }
    const now = new Date();
    const rows = tokens.map((token) => [
      token.id,
      token.agentId,
      token.preset,
      formatAge(token.createdAt, now),
      token.lastUsedAt ? formatAge(token.lastUsedAt, now) : 'never',
      truncate(token.label || '-', 40),
    ]);
    for (const line of renderTable(['ID', 'AGENT', 'PRESET', 'CREATED', 'LAST USED', 'LABEL'], rows)) out.line(line);
    return 0;
  },
};

export const tokenRevokeCommand: CommandSpec = {
  name: 'token revoke',
  usage: 'token revoke TOKEN_ID',
  summary: 'revoke a token by its id (from token list); it stops working at once',
  options: [],
  async run({ hub, out, args }) {
    if (args.length !== 1) throw new UsageError('token revoke needs exactly one token id (see: mesh token list)');
    // Never send (or echo) a secret that was pasted where its id belongs.
    if (args[0]!.startsWith('m3shd_')) throw new UsageError('that is a token, not a token id: revoke by the id that token list shows');
    const revoked = await hub.client.tokens.revoke.mutate({ tokenId: args[0]! }, hub.request());
    out.line(`revoked token ${revoked.id} of agent ${revoked.agentId}`);
    return 0;
  },
};
