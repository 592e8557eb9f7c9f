// Every setting, read once from the environment and validated with zod. A malformed value
// stops the start with a message naming the variable; nothing secret is echoed.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HUB_MODEL } from '@/lib/models';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return parsed;
    });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const environmentSchema = z.object({
  PORT: integer(3000, 0, 65535),
  HOST: z.string().min(1).optional().default('0.0.0.0'),
  MESH_DATA_DIR: z.string().min(1).optional().default('./data'),
  DATABASE_URL: optionalText.pipe(
    z.string().startsWith('file:', 'must be a SQLite URL starting with file:').optional(),
  ),
  MESH_MASTER_TOKEN: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters').regex(/^\S+$/, 'must not contain spaces').optional(),
  ),
  MESH_SECRET_KEY: optionalText.pipe(
    z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), {
        message: 'must be 32 random bytes, base64-encoded',
      })
      .optional(),
  ),
  NEXTAUTH_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  MESH_PUBLIC_URL: optionalText.pipe(z.url('must be an absolute http(s) URL').optional()),
  MESH_TRUST_PROXY: booleanFlag,
  MESH_EVENT_RETENTION_DAYS: integer(7, 1, 3650),
  MESH_SESSION_HOURS: integer(24, 1, 24 * 30),
  MESH_LOGIN_MAX_FAILURES: integer(5, 1, 1000),
  MESH_LOGIN_WINDOW_SECONDS: integer(300, 1, 86_400),
  MESH_SHUTDOWN_GRACE_MS: integer(8_000, 100, 60_000),
  MESH_HEARTBEAT_TIMEOUT_SECONDS: integer(90, 5, 86_400),
  MESH_ZOMBIE_MINUTES: integer(10, 1, 1_440),
  MESH_MAX_ATTEMPTS: integer(3, 1, 100),
  /** Test-only: kill the hub at a named point of a transaction (the crash-inside-a-report test). */
  MESH_TEST_CRASH_POINT: z.enum(['report-before-commit']).optional(),
  MESH_BREAKER_FAILURES: integer(3, 1, 100),
  MESH_BREAKER_COOLDOWN_SECONDS: integer(60, 1, 86_400),
  MESH_DAILY_TOKEN_BUDGET: integer(500_000, 1, 1_000_000_000),
  MESH_BUDGET_ALERT_USD: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return 1;
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: 'must be a positive number of US dollars' });
        return z.NEVER;
      }
      return parsed;
    }),
  MESH_ESCALATION_CHAIN: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const links = (value ?? 'operator').split(',').map((link) => link.trim()).filter(Boolean);
      if (links.length === 0 || links.some((link) => !/^[a-z0-9-]{1,64}$/.test(link))) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of agent ids ending with the operator, e.g. rex,archon,operator' });
        return z.NEVER;
      }
      return links;
    }),
  MESH_NTFY_URL: optionalText.pipe(z.url('must be an absolute http(s) URL').optional()),
  MESH_NTFY_TOPIC: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional().default('m3shd'),
  MESH_STREAM_RETENTION_DAYS: integer(7, 1, 3650),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText.pipe(z.url('must be an absolute http(s) URL').optional()),
  MESH_HUB_MODEL: optionalText.pipe(z.string().max(128).regex(/^\S+$/, 'must be a model name without spaces').optional()),
  MESH_PRIMARY_AGENT: optionalText.pipe(z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be an agent id ([a-z0-9-]{1,64})').optional()),
  MESH_DEMO: booleanFlag,
  MESH_MEMORY_INJECT_K: integer(5, 0, 50),
  // Plugins (spec 17): an extra plugin folder, the built-ins' backends and limits.
  MESH_PLUGINS_DIR: optionalText,
  MESH_SEARCH_URL: optionalText.pipe(z.url('must be an absolute http(s) URL').optional()),
  MESH_FILES_ROOT: optionalText,
  MESH_FILE_SUMMARY_MAX_BYTES: integer(1024 * 1024, 1, 64 * 1024 * 1024),
  MESH_NOTIFY_PER_HOUR: integer(10, 1, 10_000),
  MESH_PLUGIN_HOOK_TIMEOUT_MS: integer(5_000, 10, 600_000),
  MESH_PLUGIN_TOOL_TIMEOUT_MS: integer(30_000, 10, 600_000),
  // The doors (GET /api/stream, /metrics, logs).
  MESH_STREAM_KEEPALIVE_SECONDS: integer(30, 1, 3_600),
  MESH_METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional()),
  MESH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  // Unset: readable lines on a terminal, JSON lines otherwise (a file, a pipe, a supervisor).
  MESH_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Set only when given in the environment; otherwise the data dir holds its hash. */
  masterTokenFromEnv?: string;
  secretKeyFromEnv?: Buffer;
  sessionSecretFromEnv?: string;
  publicUrl?: string;
  trustProxy: boolean;
  eventRetentionDays: number;
  sessionHours: number;
  loginMaxFailures: number;
  loginWindowSeconds: number;
  shutdownGraceMs: number;
  heartbeatTimeoutSeconds: number;
  zombieMinutes: number;
  maxAttempts: number;
  /** Test-only (MESH_TEST_CRASH_POINT): where the task engine kills its own process. */
  testCrashPoint?: 'report-before-commit';
  breakerFailures: number;
  breakerCooldownSeconds: number;
  dailyTokenBudget: number;
  budgetAlertUsd: number;
  /** Agents escalate to the next link; an agent not in the chain escalates to the last link (the operator). */
  escalationChain: string[];
  /** ntfy server; alerts are off without it. */
  ntfyUrl?: string;
  ntfyTopic: string;
  /** How long finished tasks keep their stream chunks. */
  streamRetentionDays: number;
  /** The hub's own model calls (goal decomposition, summaries) go through the gateway; off without a key. */
  anthropicApiKey?: string;
  /** The Messages API's base URL; api.anthropic.com when unset. */
  anthropicBaseUrl?: string;
  /** The model the hub's gateway uses. */
  hubModel: string;
  /** The agent that `do` and free chat go to (spec: Archon). */
  primaryAgent: string;
  /** Public read-only dashboard at /demo (redacted, rate limited per IP); 404 when off. */
  demo: boolean;
  /** How many of the claiming agent's memories matching the task are placed ahead of its prompt (0: none). */
  memoryInjectK: number;
  /** Plugins: a folder of plugin modules loaded at start (each exports setup(manager)). */
  pluginsDir?: string;
  /** web_search: a SearXNG-compatible JSON endpoint (`<url>?q=…&format=json`); off without it. */
  searchUrl?: string;
  /** file_summary reads only under this folder (its real path); off without it. */
  filesRoot?: string;
  /** file_summary refuses larger files. */
  fileSummaryMaxBytes: number;
  /** notify: pushes per agent per hour. */
  notifyPerHour: number;
  /** A plugin hook call longer than this is abandoned (others run on regardless). */
  pluginHookTimeoutMs: number;
  /** A tool call longer than this is answered with a timeout error. */
  pluginToolTimeoutMs: number;
  version: string;
  /** GET /api/stream's keepalive comment interval. */
  streamKeepaliveSeconds: number;
  /** Bearer token for GET /metrics; without it /metrics answers loopback clients only. */
  metricsToken?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** json (one object a line) or pretty (pino-pretty, for a terminal). */
  /** Unset: `pretty` when stdout is a terminal, else `json`. */
  logFormat?: 'json' | 'pretty';
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`invalid ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, version = '0.0.0'): HubConfig {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const values = result.data;
  const dataDir = path.resolve(values.MESH_DATA_DIR);
  const databaseFile = values.DATABASE_URL
    ? path.resolve(values.DATABASE_URL.slice('file:'.length))
    : path.join(dataDir, 'm3shd.db');
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    databaseFile,
    masterTokenFromEnv: values.MESH_MASTER_TOKEN,
    secretKeyFromEnv: values.MESH_SECRET_KEY ? Buffer.from(values.MESH_SECRET_KEY, 'base64') : undefined,
    sessionSecretFromEnv: values.NEXTAUTH_SECRET,
    publicUrl: values.MESH_PUBLIC_URL?.replace(/\/$/, ''),
    trustProxy: values.MESH_TRUST_PROXY,
    eventRetentionDays: values.MESH_EVENT_RETENTION_DAYS,
    sessionHours: values.MESH_SESSION_HOURS,
    loginMaxFailures: values.MESH_LOGIN_MAX_FAILURES,
    loginWindowSeconds: values.MESH_LOGIN_WINDOW_SECONDS,
    shutdownGraceMs: values.MESH_SHUTDOWN_GRACE_MS,
    heartbeatTimeoutSeconds: values.MESH_HEARTBEAT_TIMEOUT_SECONDS,
    zombieMinutes: values.MESH_ZOMBIE_MINUTES,
    maxAttempts: values.MESH_MAX_ATTEMPTS,
    testCrashPoint: values.MESH_TEST_CRASH_POINT,
    breakerFailures: values.MESH_BREAKER_FAILURES,
    breakerCooldownSeconds: values.MESH_BREAKER_COOLDOWN_SECONDS,
    dailyTokenBudget: values.MESH_DAILY_TOKEN_BUDGET,
    budgetAlertUsd: values.MESH_BUDGET_ALERT_USD,
    escalationChain: values.MESH_ESCALATION_CHAIN,
    ntfyUrl: values.MESH_NTFY_URL?.replace(/\/$/, ''),
    ntfyTopic: values.MESH_NTFY_TOPIC,
    streamRetentionDays: values.MESH_STREAM_RETENTION_DAYS,
    anthropicApiKey: values.ANTHROPIC_API_KEY,
    anthropicBaseUrl: values.ANTHROPIC_BASE_URL?.replace(/\/$/, ''),
    hubModel: values.MESH_HUB_MODEL ?? DEFAULT_HUB_MODEL,
    primaryAgent: values.MESH_PRIMARY_AGENT ?? 'archon',
    demo: values.MESH_DEMO,
    memoryInjectK: values.MESH_MEMORY_INJECT_K,
    pluginsDir: values.MESH_PLUGINS_DIR ? path.resolve(values.MESH_PLUGINS_DIR) : undefined,
    searchUrl: values.MESH_SEARCH_URL,
    filesRoot: values.MESH_FILES_ROOT ? path.resolve(values.MESH_FILES_ROOT) : undefined,
    fileSummaryMaxBytes: values.MESH_FILE_SUMMARY_MAX_BYTES,
    notifyPerHour: values.MESH_NOTIFY_PER_HOUR,
    pluginHookTimeoutMs: values.MESH_PLUGIN_HOOK_TIMEOUT_MS,
    pluginToolTimeoutMs: values.MESH_PLUGIN_TOOL_TIMEOUT_MS,
    version,
    streamKeepaliveSeconds: values.MESH_STREAM_KEEPALIVE_SECONDS,
    metricsToken: values.MESH_METRICS_TOKEN,
    logLevel: values.MESH_LOG_LEVEL,
    logFormat: values.MESH_LOG_FORMAT,
  };
}
