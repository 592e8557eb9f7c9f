// Third-party API keys (spec sections 03, 20): admin CRUD, and turning a presented key into a
// principal with the key's own permissions (empty = no access). The plain key is returned once;
// only its SHA-256 is stored. Over its per-minute limit or its daily cap (UTC day) a request is
// refused with rate_limited (429), the message naming which limit, and Retry-After.
import { newId } from '@/lib/ids';
import { API_KEY_PREFIX, type ApiKeysCreateInput, type ApiKeyView } from '@/lib/api-keys';
import { LIMITS } from '@/lib/limits';
import { isPermission, type Permission } from '@/lib/permissions';
import { hasPermission, principalLabel, type Principal } from '../auth/principal';
import { generateToken, hashToken } from '../auth/tokens';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { needsMasterToken } from '../services/token-service';
import { utcDay, type SqliteApiKeyStore } from './api-key-store';

export interface ApiKeyServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  store: SqliteApiKeyStore;
}

type ApiKeyRow = {
  id: string;
  name: string;
  permissions: string;
  rateLimitPerMinute: number;
  dailyCap: number;
  usageToday: number;
  usageDay: string;
  usageTotal: number;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export class ApiKeyService {
  constructor(private readonly deps: ApiKeyServiceDeps) {}

  static isApiKey(token: string): boolean {
    return token.startsWith(API_KEY_PREFIX);
  }

  /**
   * The principal of a presented key, counting the request; null for an unknown or revoked key
   * (a revoked key stops at its next request: every request reads the row). Throws rate_limited
   * over a limit.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const use = await this.deps.store.use(hashToken(token));
    switch (use.outcome) {
      case 'unknown':
        return null;
      case 'over_minute_limit':
        throw new AppError('rate_limited', `API key over its per-minute limit of ${use.limit} requests; retry in ${use.retryAfterSeconds} s`, {
          retryAfterSeconds: use.retryAfterSeconds,
        });
      case 'over_daily_cap':
        throw new AppError('rate_limited', `API key over its daily cap of ${use.limit} requests (UTC day); retry in ${use.retryAfterSeconds} s, after midnight UTC`, {
          retryAfterSeconds: use.retryAfterSeconds,
        });
      case 'accepted': {
        const permissions = (JSON.parse(use.key.permissions) as string[]).filter(isPermission) as Permission[];
        return { kind: 'apiKey', keyId: use.key.id, name: use.key.name, permissions, via: 'token' };
      }
    }
  }

  /** Admin-grade permission lists need the master token, as for agent tokens; nobody grants what they lack. */
  async create(creator: Principal, input: ApiKeysCreateInput): Promise<{ key: string; view: ApiKeyView }> {
    const permissions = [...new Set(input.permissions)];
    if (needsMasterToken('custom', permissions) && creator.kind !== 'master') {
      throw forbidden('creating an admin-grade API key (permissions beyond the commander preset) needs the master token');
    }
    const missing = permissions.filter((permission) => !hasPermission(creator, permission));
    if (missing.length > 0) throw forbidden(`cannot grant permissions you do not hold: ${missing.join(', ')}`);
    const key = generateToken(API_KEY_PREFIX);
    const now = this.deps.clock.now();
    const row = await this.deps.db.apiKey.create({
      data: {
        id: newId(now.getTime()),
        keyHash: hashToken(key),
        name: input.name,
        permissions: JSON.stringify(permissions),
        rateLimitPerMinute: input.rateLimitPerMinute,
        dailyCap: input.dailyCap,
        createdBy: principalLabel(creator),
        createdAt: now,
      },
    });
    await this.deps.events.publish('api_key_created', { keyId: row.id, name: row.name }, { permission: 'admin:tokens' });
    return { key, view: this.toView(row) };
  }

  async list(filter: { includeRevoked?: boolean } = {}): Promise<ApiKeyView[]> {
    const rows = await this.deps.db.apiKey.findMany({
      where: filter.includeRevoked ? {} : { revokedAt: null },
      orderBy: { createdAt: 'asc' },
      take: LIMITS.listRows,
      omit: { keyHash: true },
    });
    return rows.map((row) => this.toView(row));
  }

  async revoke(keyId: string): Promise<ApiKeyView> {
    const existing = await this.deps.db.apiKey.findUnique({ where: { id: keyId }, omit: { keyHash: true } });
    if (!existing) throw notFound('API key');
    if (existing.revokedAt) return this.toView(existing);
    const row = await this.deps.db.apiKey.update({ where: { id: keyId }, data: { revokedAt: this.deps.clock.now() }, omit: { keyHash: true } });
    this.deps.store.forget(keyId);
    await this.deps.events.publish('api_key_revoked', { keyId, name: row.name }, { permission: 'admin:tokens' });
    return this.toView(row);
  }

  private toView(row: ApiKeyRow): ApiKeyView {
    const today = utcDay(this.deps.clock.now());
    return {
      id: row.id,
      name: row.name,
      permissions: JSON.parse(row.permissions) as string[],
      rateLimitPerMinute: row.rateLimitPerMinute,
      dailyCap: row.dailyCap,
      usageToday: row.usageDay === today ? row.usageToday : 0,
      usageTotal: row.usageTotal,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }
}
