// Dashboard and script sessions: a row per login, referenced by the session cookie, checked
// on every request so logout, disabling a user and password resets take effect at once.
import { newId } from '@/lib/ids';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { mintSessionToken, readSessionToken } from '../auth/session-cookie';
import type { Principal } from '../auth/principal';
import type { UserRole } from '@/lib/permissions';

export interface SessionServiceDeps {
  db: Database;
  clock: Clock;
  secret: string;
  sessionHours: number;
}

export interface IssuedSession {
  sessionId: string;
  token: string;
  maxAgeSeconds: number;
}

export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  get maxAgeSeconds(): number {
    return this.deps.sessionHours * 3600;
  }

  async issueForUser(user: { id: string; username: string; role: string }): Promise<IssuedSession> {
    return this.issue({ kind: 'user', userId: user.id, name: user.username, role: user.role });
  }

  async issueForMaster(): Promise<IssuedSession> {
    return this.issue({ kind: 'master', userId: null, name: 'master', role: 'admin' });
  }

  /** The principal a session cookie stands for, or null when it is invalid, expired or revoked. */
  async principalFromCookie(cookieValue: string): Promise<Principal | null> {
    const claims = await readSessionToken(this.deps.secret, cookieValue);
    if (!claims) return null;
    const session = await this.deps.db.session.findUnique({
      where: { id: claims.sid },
      select: {
        id: true,
        kind: true,
        expiresAt: true,
        revokedAt: true,
        user: { select: { id: true, username: true, role: true, disabled: true } },
      },
    });
    if (!session || session.revokedAt || session.expiresAt <= this.deps.clock.now()) return null;
    if (session.kind === 'master') return { kind: 'master', sessionId: session.id, via: 'cookie' };
    const user = session.user;
    if (!user || user.disabled) return null;
    return { kind: 'user', userId: user.id, username: user.username, role: user.role as UserRole, sessionId: session.id, via: 'cookie' };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.deps.db.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: this.deps.clock.now() },
    });
  }

  async revokeAllForUser(userId: string, exceptSessionId?: string): Promise<void> {
    await this.deps.db.session.updateMany({
      where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
      data: { revokedAt: this.deps.clock.now() },
    });
  }

  private async issue(input: { kind: 'user' | 'master'; userId: string | null; name: string; role: string }): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const sessionId = newId(now.getTime());
    await this.deps.db.session.create({
      data: {
        id: sessionId,
        kind: input.kind,
        userId: input.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.maxAgeSeconds * 1000),
      },
    });
    const token = await mintSessionToken(
      this.deps.secret,
      { sid: sessionId, sub: input.userId ?? 'master', name: input.name, role: input.role },
      this.maxAgeSeconds,
    );
    return { sessionId, token, maxAgeSeconds: this.maxAgeSeconds };
  }
}
