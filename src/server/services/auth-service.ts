// Who is calling: resolves a request's bearer token or session cookie to one Principal, and
// performs logins (password or master token) behind the per-IP failure limit.
import { isPermission, type Permission } from '@/lib/permissions';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { SqliteAgentTokenLookup } from '../db/sqlite/agent-token-lookup';
import { AppError } from '../errors';
import type { LoginRateLimiter } from '../auth/login-rate-limiter';
import { verifyPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { AGENT_TOKEN_PREFIX, digestsEqual, hashToken } from '../auth/tokens';
import { ApiKeyService } from '../keys/api-key-service';
import type { IssuedSession, SessionService } from './session-service';

export interface AuthServiceDeps {
  db: Database;
  agentTokens: SqliteAgentTokenLookup;
  clock: Clock;
  masterTokenHash: () => string;
  sessions: SessionService;
  loginLimiter: LoginRateLimiter;
  /** Third-party API keys (m3shd_key_…): counted and rate limited on every door that resolves a bearer here. */
  apiKeys: ApiKeyService;
}

export type Credentials = { username: string; password: string } | { token: string };

/** How long a token's last-used time may lag, so authentication is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

// A valid hash to compare against when the username is unknown, so a miss costs the same
// time as a wrong password (no user enumeration by timing).
const UNKNOWN_USER_HASH = 'pbkdf2_sha256$310000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /**
   * Resolves a bearer token. Returns null for an unknown or revoked token. The master token is
   * compared in constant time; agent tokens and API keys are looked up by their SHA-256 and
   * compared again. An API key over its per-minute limit or daily cap throws rate_limited (429).
   */
  async principalFromBearer(token: string): Promise<Principal | null> {
    const digest = hashToken(token);
    if (digestsEqual(digest, this.deps.masterTokenHash())) return { kind: 'master', via: 'token' };
    if (ApiKeyService.isApiKey(token)) return this.deps.apiKeys.authenticate(token);
    if (!token.startsWith(AGENT_TOKEN_PREFIX)) return null;
    const row = await this.deps.agentTokens.byHash(digest);
    if (!row || row.revokedAt !== null || !digestsEqual(row.tokenHash, digest)) return null;
    const now = this.deps.clock.now();
    if (row.lastUsedAt === null || now.getTime() - new Date(row.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
      await this.deps.agentTokens.touch(row.id, now);
    }
    const permissions = (JSON.parse(row.permissions) as string[]).filter(isPermission) as Permission[];
    return { kind: 'agent', tokenId: row.id, agentId: row.agentId, permissions, via: 'token' };
  }

  principalFromCookie(cookieValue: string): Promise<Principal | null> {
    return this.deps.sessions.principalFromCookie(cookieValue);
  }

  /**
   * A login by username and password, or by the master token (an admin session). Each attempt
   * is counted per IP before it is checked (a concurrent burst gets at most the limit through);
   * past the limit the call is refused with rate_limited without checking. A success is not
   * counted.
   */
  async login(credentials: Credentials, ip: string): Promise<IssuedSession & { username: string; role: string }> {
    const decision = this.deps.loginLimiter.begin(ip);
    if (!decision.allowed) {
      throw new AppError('rate_limited', 'too many failed logins; try again later', { retryAfterSeconds: decision.retryAfterSeconds });
    }
    if ('token' in credentials) {
      if (!digestsEqual(hashToken(credentials.token), this.deps.masterTokenHash())) throw invalidCredentials();
      decision.attempt.succeeded();
      const session = await this.deps.sessions.issueForMaster();
      return { ...session, username: 'master', role: 'admin' };
    }
    const user = await this.deps.db.user.findUnique({
      where: { username: credentials.username },
      select: { id: true, username: true, role: true, disabled: true, passwordHash: true },
    });
    const passwordMatches = await verifyPassword(credentials.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !passwordMatches || user.disabled) throw invalidCredentials();
    decision.attempt.succeeded();
    const session = await this.deps.sessions.issueForUser(user);
    return { ...session, username: user.username, role: user.role };
  }

  logout(principal: Principal): Promise<void> {
    return (principal.kind === 'master' || principal.kind === 'user') && principal.sessionId ? this.deps.sessions.revoke(principal.sessionId) : Promise.resolve();
  }
}

function invalidCredentials(): AppError {
  return new AppError('unauthorized', 'invalid credentials');
}
