// Agent tokens: bound to one agent id, with a preset or an explicit permission list (empty =
// no access). The plain token is returned once; only its SHA-256 is stored.
import { newId } from '@/lib/ids';
import { PRESETS, type Permission, type PresetName } from '@/lib/permissions';
import type { TokensCreateInput } from '@/lib/tokens';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { hasPermission, principalLabel, type Principal } from '../auth/principal';
import { AGENT_TOKEN_PREFIX, generateToken, hashToken } from '../auth/tokens';

export interface TokenServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export interface TokenView {
  id: string;
  agentId: string;
  label: string;
  preset: string;
  permissions: Permission[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const COMMANDER = new Set<Permission>(PRESETS.commander);

/**
 * Admin-grade: the admin preset, or any permission beyond the commander preset. The spec
 * reserves creating admin tokens for the master token; treating every permission outside the
 * commander preset the same way closes the loophole of listing the admin permissions by hand.
 */
export function needsMasterToken(preset: PresetName | 'custom', permissions: readonly Permission[]): boolean {
  return preset === 'admin' || permissions.some((permission) => !COMMANDER.has(permission));
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  async create(creator: Principal, input: TokensCreateInput): Promise<{ token: string; view: TokenView }> {
    const preset: PresetName | 'custom' = input.preset ?? 'custom';
    const permissions = [...new Set(input.preset ? PRESETS[input.preset] : (input.permissions ?? []))];
    if (needsMasterToken(preset, permissions) && creator.kind !== 'master') {
      throw forbidden('creating an admin-grade token (admin preset, or permissions beyond the commander preset) needs the master token');
    }
    const missing = permissions.filter((permission) => !hasPermission(creator, permission));
    if (missing.length > 0) throw forbidden(`cannot grant permissions you do not hold: ${missing.join(', ')}`);

    const token = generateToken(AGENT_TOKEN_PREFIX);
    const now = this.deps.clock.now();
    const row = await this.deps.db.agentToken.create({
      data: {
        id: newId(now.getTime()),
        tokenHash: hashToken(token),
        agentId: input.agentId,
        label: input.label ?? '',
        preset,
        permissions: JSON.stringify(permissions),
        createdBy: principalLabel(creator),
        createdAt: now,
      },
    });
    const view = toView(row);
    await this.deps.events.publish('token_created', { tokenId: view.id, agentId: view.agentId, preset }, { permission: 'admin:tokens', agentId: view.agentId });
    return { token, view };
  }

  async list(filter: { agentId?: string; includeRevoked?: boolean } = {}): Promise<TokenView[]> {
    const rows = await this.deps.db.agentToken.findMany({
      where: { agentId: filter.agentId, ...(filter.includeRevoked ? {} : { revokedAt: null }) },
      orderBy: { createdAt: 'asc' },
      take: 500,
    });
    return rows.map(toView);
  }

  async revoke(tokenId: string): Promise<TokenView> {
    const existing = await this.deps.db.agentToken.findUnique({ where: { id: tokenId } });
    if (!existing) throw notFound('token');
    if (existing.revokedAt) return toView(existing);
    const row = await this.deps.db.agentToken.update({ where: { id: tokenId }, data: { revokedAt: this.deps.clock.now() } });
    await this.deps.events.publish('token_revoked', { tokenId, agentId: row.agentId }, { permission: 'admin:tokens', agentId: row.agentId });
    return toView(row);
  }
}

function toView(row: {
  id: string;
  agentId: string;
  label: string;
  preset: string;
  permissions: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): TokenView {
  return {
    id: row.id,
    agentId: row.agentId,
    label: row.label,
    preset: row.preset,
    permissions: JSON.parse(row.permissions) as Permission[],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
