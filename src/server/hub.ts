// The hub context: config, database, event bus, clock and every service, made once by
// createHub. It works without Next or HTTP (tests, benchmarks, the admin CLI); server.ts adds
// HTTP and Next on top (Next's bundles reach the running hub through active-hub.ts).
import { LIMITS } from '@/lib/limits';
import { LoginRateLimiter } from './auth/login-rate-limiter';
import { deriveSubkey, loadOrCreateSecrets, type HubSecrets } from './auth/secrets';
import { systemClock, type Clock } from './clock';
import type { HubConfig } from './config';
import { openDatabase, type Database } from './db/client';
import { applyMigrations, defaultMigrationsDir } from './db/migrate';
import { EventBus } from './events/event-bus';
import { AuthService } from './services/auth-service';
import { SessionService } from './services/session-service';
import { TokenService } from './services/token-service';
import { UserService } from './services/user-service';

export interface Hub {
  config: HubConfig;
  clock: Clock;
  db: Database;
  events: EventBus;
  secrets: HubSecrets;
  /** next-auth's secret: NEXTAUTH_SECRET, or a subkey of MESH_SECRET_KEY. */
  sessionSecret: string;
  auth: AuthService;
  sessions: SessionService;
  users: UserService;
  tokens: TokenService;
  loginLimiter: LoginRateLimiter;
  startedAt: Date;
  close(): Promise<void>;
}

export interface FirstStartCredentials {
  masterToken?: string;
  admin?: { username: string; password: string };
}

export interface CreateHubOptions {
  config: HubConfig;
  clock?: Clock;
  migrationsDir?: string;
  log?: (line: string) => void;
}

export async function createHub(options: CreateHubOptions): Promise<{ hub: Hub; firstStart: FirstStartCredentials }> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const secrets = loadOrCreateSecrets(config);
  applyMigrations(config.databaseFile, options.migrationsDir ?? defaultMigrationsDir(), options.log);
  const { prisma: db, close: closeDatabase } = await openDatabase(config.databaseFile);

  const events = new EventBus({ db, clock, queueCapacity: LIMITS.sseQueueEvents });
  const sessionSecret = config.sessionSecretFromEnv ?? deriveSubkey(secrets.secretKey, 'session-signing').toString('base64url');
  const sessions = new SessionService({ db, clock, secret: sessionSecret, sessionHours: config.sessionHours });
  const loginLimiter = new LoginRateLimiter(clock, config.loginMaxFailures, config.loginWindowSeconds * 1000);
  const auth = new AuthService({ db, clock, masterTokenHash: secrets.masterTokenHash, sessions, loginLimiter });
  const users = new UserService({ db, clock, events, sessions });
  const tokens = new TokenService({ db, clock, events });

  let closed = false;
  const hub: Hub = {
    config,
    clock,
    db,
    events,
    secrets,
    sessionSecret,
    auth,
    sessions,
    users,
    tokens,
    loginLimiter,
    startedAt: clock.now(),
    async close() {
      if (closed) return;
      closed = true;
      events.closeAll();
      await closeDatabase();
    },
  };

  const admin = await users.ensureInitialAdmin();
  return {
    hub,
    firstStart: { masterToken: secrets.generated.masterToken, admin: admin ?? undefined },
  };
}
