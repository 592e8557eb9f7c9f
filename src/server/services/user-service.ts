// Dashboard users: create, list, change role, disable, reset password, change own password,
// and the first-start admin. Every change publishes user_created / user_updated.
import { newId } from '@/lib/ids';
import { LIMITS } from '@/lib/limits';
import type { UserRole } from '@/lib/permissions';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords';
import { RequestRateLimiter } from '../auth/request-rate-limiter';
import type { SessionService } from './session-service';

export interface UserServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  sessions: SessionService;
}

export interface UserView {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  createdAt: string;
}

const PASSWORD_CHECK_WINDOW_MS = 60_000;

const userSelect = { id: true, username: true, role: true, disabled: true, createdAt: true } as const;

function toView(row: { id: string; username: string; role: string; disabled: boolean; createdAt: Date }): UserView {
  return { id: row.id, username: row.username, role: row.role as UserRole, disabled: row.disabled, createdAt: row.createdAt.toISOString() };
}

export class UserService {
  private readonly passwordChecks: RequestRateLimiter;

  constructor(private readonly deps: UserServiceDeps) {
    this.passwordChecks = new RequestRateLimiter(deps.clock, LIMITS.passwordChecksPerMinute, PASSWORD_CHECK_WINDOW_MS);
  }

  /** Creates a user; without a password one is generated and returned once. */
  async create(input: { username: string; role: UserRole; password?: string }): Promise<{ user: UserView; password: string }> {
    const password = input.password ?? generatePassword();
    const existing = await this.deps.db.user.findUnique({ where: { username: input.username }, select: { id: true } });
    // A concurrent create can still win the race to the insert: the unique constraint then
    // decides, and its violation is answered 409 by the one mapping (src/server/unique-violation.ts).
    if (existing) throw new AppError('conflict', `username: "${input.username}" is taken`, { field: 'username' });
    const now = this.deps.clock.now();
    const row = await this.deps.db.user.create({
      data: { id: newId(now.getTime()), username: input.username, role: input.role, passwordHash: await hashPassword(password), createdAt: now },
      select: userSelect,
    });
    const user = toView(row);
    await this.deps.events.publish('user_created', { userId: user.id, username: user.username, role: user.role }, { permission: 'admin:users' });
    return { user, password };
  }

  async list(): Promise<UserView[]> {
    const rows = await this.deps.db.user.findMany({ select: userSelect, orderBy: { createdAt: 'asc' }, take: 500 });
    return rows.map(toView);
  }

  /**
   * `actingUserId` is the signed-in user making the change (null for the master token): an
   * admin cannot take their own admin role away (the one who did locked themselves out); another
   * admin or the master token can.
   */
  async setRole(userId: string, role: UserRole, actingUserId: string | null): Promise<UserView> {
    return this.update(userId, async (user) => {
      if (userId === actingUserId && role !== user.role) throw forbidden('role: you cannot change your own role; ask another admin');
      if (user.role === 'admin' && role !== 'admin') await this.ensureAnotherAdmin(userId);
      return { role };
    });
  }

  /** As setRole: nobody disables their own account (it would end their session mid-change). */
  async setDisabled(userId: string, disabled: boolean, actingUserId: string | null): Promise<UserView> {
    return this.update(userId, async (user) => {
      if (disabled && userId === actingUserId) throw forbidden('disabled: you cannot disable your own account; ask another admin');
      if (disabled && user.role === 'admin') await this.ensureAnotherAdmin(userId);
      return { disabled };
    });
  }

  /** Sets a new generated password (returned once) and ends the user's sessions. */
  async resetPassword(userId: string): Promise<{ password: string }> {
    const password = generatePassword();
    await this.update(userId, async () => ({ passwordHash: await hashPassword(password), passwordChangedAt: this.deps.clock.now() }));
    await this.deps.sessions.revokeAllForUser(userId);
    return { password };
  }

  /**
   * A signed-in user's own change; other sessions of that user end. Each call verifies a
   * password (PBKDF2, ~50 ms of a thread-pool thread), so verifications are limited per user
   * (LIMITS.passwordChecksPerMinute) and counted before they run: a burst cannot take the
   * hub's crypto threads from everyone's logins.
   */
  async changeOwnPassword(userId: string, currentSessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    const decision = this.passwordChecks.take(userId);
    if (!decision.allowed) {
      throw new AppError('rate_limited', `too many password checks: at most ${decision.limit} per minute (passwordChecksPerMinute); try again in ${decision.retryAfterSeconds} s`, {
        retryAfterSeconds: decision.retryAfterSeconds,
        limit: 'passwordChecksPerMinute',
      });
    }
    const user = await this.deps.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    if (!user) throw notFound('user');
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new AppError('bad_input', 'currentPassword: does not match', { field: 'currentPassword' });
    }
    await this.deps.db.user.update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: this.deps.clock.now() },
    });
    await this.deps.sessions.revokeAllForUser(userId, currentSessionId);
  }

  /** First start: when there are no users, creates `admin` with a generated password. */
  async ensureInitialAdmin(): Promise<{ username: string; password: string } | null> {
    if ((await this.deps.db.user.count()) > 0) return null;
    const { user, password } = await this.create({ username: 'admin', role: 'admin' });
    return { username: user.username, password };
  }

  /** Recovery (admin CLI): creates an admin, or resets an existing user's password and makes it an enabled admin. */
  async upsertAdmin(username: string): Promise<{ password: string; created: boolean }> {
    const existing = await this.deps.db.user.findUnique({ where: { username }, select: { id: true } });
    if (!existing) {
      const { password } = await this.create({ username, role: 'admin' });
      return { password, created: true };
    }
    await this.update(existing.id, async () => ({ role: 'admin', disabled: false }));
    const { password } = await this.resetPassword(existing.id);
    return { password, created: false };
  }

  async findIdByUsername(username: string): Promise<string> {
    const user = await this.deps.db.user.findUnique({ where: { username }, select: { id: true } });
    if (!user) throw notFound(`user "${username}"`);
    return user.id;
  }

  private async update(
    userId: string,
    change: (user: { role: string; disabled: boolean }) => Promise<{ role?: UserRole; disabled?: boolean; passwordHash?: string; passwordChangedAt?: Date }>,
  ): Promise<UserView> {
    const user = await this.deps.db.user.findUnique({ where: { id: userId }, select: { role: true, disabled: true } });
    if (!user) throw notFound('user');
    const data = await change(user);
    const row = await this.deps.db.user.update({ where: { id: userId }, data, select: userSelect });
    const view = toView(row);
    await this.deps.events.publish(
      'user_updated',
      { userId: view.id, username: view.username, role: view.role, disabled: view.disabled },
      { permission: 'admin:users' },
    );
    return view;
  }

  private async ensureAnotherAdmin(userId: string): Promise<void> {
    const others = await this.deps.db.user.count({ where: { role: 'admin', disabled: false, id: { not: userId } } });
    if (others === 0) throw conflict('this would leave no enabled admin');
  }
}
