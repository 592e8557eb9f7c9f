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
import { ApprovalService } from './services/approval-service';
import { ContextService } from './services/context-service';
import { EscalationService } from './services/escalation-service';
import { MessageService } from './services/message-service';
import { ChatService } from './services/chat-service';
import { ModelGateway } from './llm/gateway';
import { AgentService } from './services/agent-service';
import { AlertService, escalationAlert } from './services/alert-service';
import { AnalyticsService } from './services/analytics-service';
import { CostService } from './services/cost-service';
import { Dispatcher } from './services/tasks/dispatcher';
import { TaskExecutionService } from './services/tasks/task-execution-service';
import { ClaimWaiters } from './tasks/claim-waiters';
import type { EventPayloads } from '@/lib/events';
import { TaskService } from './services/tasks/task-service';
import { SqliteAgentTokenLookup } from './db/sqlite/agent-token-lookup';
import { SqliteTaskRepository } from './db/sqlite/task-repository';
import type { SqliteConnection } from './db/sqlite/connection';
import { MeshCapacity } from './tasks/mesh-capacity';
import { waitReasonFor, type WaitingTask } from './tasks/wait-reasons';
import { InboxService } from './inbox/inbox-service';
import type { TaskRepository } from './tasks/task-repository';
import { SqliteMemoryRepository } from './db/sqlite/memory-repository';
import { BlindIndex } from './memory/blind-index';
import { memoryClaimInjector } from './memory/claim-injection';
import { MemoryCipher } from './memory/memory-cipher';
import { MemoryService } from './memory/memory-service';
import type { MemoryRepository } from './memory/memory-repository';
import { TaskGraphService } from './tasks/task-graph-service';
import { SqliteTemplateStore } from './db/sqlite/template-store';
import { TemplateService } from './templates/template-service';
import { VoiceDispatchService } from './templates/voice-dispatch';
import { builtinPlugins } from './plugins/builtins';
import { PluginManager } from './plugins/plugin-manager';
import { silentLogger, type HubLogger } from './logging/logger';
import { ApiKeyService } from './keys/api-key-service';
import { SqliteApiKeyStore } from './keys/api-key-store';
import { WebhookDeliveryLog } from './webhooks/webhook-delivery-log';
import { WebhookService } from './webhooks/webhook-service';

export interface Hub {
  config: HubConfig;
  clock: Clock;
  db: Database;
  /** The one SQLite connection Prisma (db) runs on; the task engine's raw SQL uses it directly. */
  sql: SqliteConnection;
  events: EventBus;
  secrets: HubSecrets;
  /** next-auth's secret: NEXTAUTH_SECRET, or a subkey of MESH_SECRET_KEY. */
  sessionSecret: string;
  auth: AuthService;
  sessions: SessionService;
  users: UserService;
  tokens: TokenService;
  /** Shared key-value context (context.*). */
  context: ContextService;
  messages: MessageService;
  approvals: ApprovalService;
  escalations: EscalationService;
  inbox: InboxService;
  alerts: AlertService;
  costs: CostService;
  /** The analytics queries (analytics.*). */
  analytics: AnalyticsService;
  agents: AgentService;
  /** Tasks from the operator's side. */
  tasks: TaskService;
  /** Tasks from the worker's side: claim, stream, report, handoff under leases. */
  execution: TaskExecutionService;
  /** Long-poll claims waiting for an assignment; closed first at shutdown so none holds it up. */
  claimWaiters: ClaimWaiters;
  dispatcher: Dispatcher;
  /** The task engine's storage (raw SQL, one transaction per state change with its events). */
  taskRepository: TaskRepository;
  /** The dispatcher's in-memory picture of agents' slots, breakers, budgets and reputation. */
  capacity: MeshCapacity;
  /** The hub's one way to call a model (Anthropic SDK); `configured` is false without ANTHROPIC_API_KEY. */
  llm: ModelGateway;
  /** The chat's command interface (chat.send). */
  chat: ChatService;
  /** Agent memory (memory.*): encrypted values, blind search index, consolidation. */
  memory: MemoryService;
  /** Agent memory's storage (raw SQL: search runs on every claim). */
  memoryRepository: MemoryRepository;
  loginLimiter: LoginRateLimiter;
  /** Task dependencies seen from outside: pipelines, a task's parents and children. */
  graphs: TaskGraphService;
  /** Task templates and their dispatch (also behind voice dispatch). */
  templates: TemplateService;
  /** POST /api/voice/dispatch: a sentence → a template's task. */
  voice: VoiceDispatchService;
  /** Plugins: tools agents call (plugins.invoke, [TOOL_CALL]) and lifecycle hooks (spec 17). */
  plugins: PluginManager;
  /** Structured logs (pino); silent for hubs made without one. */
  logger: HubLogger;
  /** Third-party API keys (apiKeys.*; resolved by auth on every door). */
  apiKeys: ApiKeyService;
  /** Inbound webhooks (webhooks.*, POST /api/webhooks/{id}). */
  webhooks: WebhookService;
  startedAt: Date;
  close(): Promise<void>;
}

/** The agent id the hub's own model usage is logged under (costs, analytics). */
export const HUB_COST_AGENT = 'hub';

export interface FirstStartCredentials {
  masterToken?: string;
  admin?: { username: string; password: string };
}

export interface CreateHubOptions {
  config: HubConfig;
  clock?: Clock;
  migrationsDir?: string;
  logger?: HubLogger;
}

export async function createHub(options: CreateHubOptions): Promise<{ hub: Hub; firstStart: FirstStartCredentials }> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const secrets = loadOrCreateSecrets(config);
  applyMigrations(config.databaseFile, options.migrationsDir ?? defaultMigrationsDir(), (line) => logger.info(line));
  const { prisma: db, sql, close: closeDatabase } = await openDatabase(config.databaseFile);

  const events = new EventBus({ connection: sql, clock, queueCapacity: LIMITS.sseQueueEvents });
  const breakerSettings = { failureThreshold: config.breakerFailures, cooldownMs: config.breakerCooldownSeconds * 1000 };
  const capacity = new MeshCapacity({ breaker: breakerSettings, defaultDailyTokenBudget: config.dailyTokenBudget });
  const memoryRepository = new SqliteMemoryRepository({
    connection: sql,
    events,
    clock,
    cipher: new MemoryCipher(deriveSubkey(secrets.secretKey, 'memory-encryption')),
    index: new BlindIndex(deriveSubkey(secrets.secretKey, 'memory-index')),
  });
  const claimPromptInjectors = [memoryClaimInjector(memoryRepository, config.memoryInjectK)];
  const taskRepository = new SqliteTaskRepository({ connection: sql, events, clock, capacity, maxAttempts: config.maxAttempts, breaker: breakerSettings, crashPoint: config.testCrashPoint, claimPromptInjectors });
  const sessionSecret = config.sessionSecretFromEnv ?? deriveSubkey(secrets.secretKey, 'session-signing').toString('base64url');
  const sessions = new SessionService({ db, clock, secret: sessionSecret, sessionHours: config.sessionHours });
  const loginLimiter = new LoginRateLimiter(clock, config.loginMaxFailures, config.loginWindowSeconds * 1000);
  const apiKeys = new ApiKeyService({ db, clock, events, store: new SqliteApiKeyStore(sql, clock) });
  const auth = new AuthService({ db, agentTokens: new SqliteAgentTokenLookup(sql), clock, masterTokenHash: secrets.masterTokenHash, sessions, loginLimiter, apiKeys });
  const users = new UserService({ db, clock, events, sessions });
  const tokens = new TokenService({ db, clock, events });
  const context = new ContextService({ db, clock, events });
  const messages = new MessageService({ db, clock, events });
  const approvals = new ApprovalService({ db, clock, events });
  const alerts = new AlertService({ db, clock, events, config, logger });
  const escalations = new EscalationService({
    db,
    clock,
    events,
    escalationChain: config.escalationChain,
    onCreated: async (escalation) => {
      await alerts.send(escalationAlert(escalation));
    },
  });
  const costs = new CostService({ db, clock, events, config, alerts, repository: taskRepository, capacity });
  const analytics = new AnalyticsService({ db, clock, costs });

  const dispatcher = new Dispatcher({ repository: taskRepository, capacity, clock, config, logger });
  const requestDispatch = () => dispatcher.request();
  const agents = new AgentService({
    db,
    clock,
    events,
    config,
    repository: taskRepository,
    onAgentChanged: async (agentId) => {
      await dispatcher.reloadAgent(agentId);
      dispatcher.request();
    },
    requestDispatch,
    onRecovered: (agentId) => void alerts.clear('agent_down', agentId),
    tokensUsedToday: (agentId) => capacity.tokensUsedToday(agentId, clock.now()),
  });
  const explainWait = (task: WaitingTask) => waitReasonFor(task, capacity, clock.now());
  const tasks = new TaskService({ db, clock, repository: taskRepository, alerts, requestDispatch, explainWait });
  const inbox = new InboxService({ db, clock, explainWait });
  const claimWaiters = new ClaimWaiters();
  events.observe((event) => {
    if (event.type !== 'task_assigned') return;
    const { assignedTo } = event.payload as EventPayloads['task_assigned'];
    if (assignedTo) claimWaiters.notify(assignedTo);
  });
  const execution = new TaskExecutionService({
    repository: taskRepository,
    capacity,
    clock,
    config,
    tasks,
    costs,
    escalations,
    waiters: claimWaiters,
    requestDispatch,
    dispatchNow: () => dispatcher.dispatch(),
    logger,
  });
  // The hub's own model calls are costed like any agent's, under the agent id "hub".
  const llm = new ModelGateway({ config, onUsage: (usage) => costs.logUsage({ agentId: HUB_COST_AGENT, ...usage }) });
  const chat = new ChatService({ db, clock, events, config, messages, context, tasks, approvals, escalations, costs, agents, llm, logger });
  const memory = new MemoryService({ repository: memoryRepository, db, clock, llm, logger });

  const graphs = new TaskGraphService({ db, repository: taskRepository, tasks, requestDispatch });
  const templates = new TemplateService({ db, store: new SqliteTemplateStore({ connection: sql, events, clock }), tasks });
  const voice = new VoiceDispatchService({ db, templates, dispatchNow: () => dispatcher.dispatch(), llm, logger });
  const webhooks = new WebhookService({
    db,
    clock,
    events,
    cipher: new MemoryCipher(deriveSubkey(secrets.secretKey, 'webhook-secrets')),
    deliveries: new WebhookDeliveryLog({ connection: sql, events, clock }),
    messages,
    templates,
  });
  const plugins = new PluginManager({ db, clock, events, config, logger });
  await plugins.load(builtinPlugins({ config, alerts, llm, memory }));
  await plugins.startHooks();

  let closed = false;
  const hub: Hub = {
    config,
    clock,
    db,
    sql,
    events,
    secrets,
    sessionSecret,
    auth,
    sessions,
    users,
    tokens,
    context,
    messages,
    approvals,
    escalations,
    inbox,
    alerts,
    costs,
    analytics,
    agents,
    tasks,
    execution,
    claimWaiters,
    dispatcher,
    taskRepository,
    capacity,
    llm,
    chat,
    memory,
    memoryRepository,
    loginLimiter,
    graphs,
    templates,
    voice,
    plugins,
    logger,
    apiKeys,
    webhooks,
    startedAt: clock.now(),
    async close() {
      if (closed) return;
      closed = true;
      claimWaiters.close();
      plugins.close();
      events.closeAll();
      await chat.close();
      await dispatcher.settled();
      // Queued ntfy deliveries get a short grace, so a hanging ntfy cannot hold up shutdown.
      await alerts.flush({ timeoutMs: 3_000 });
      await closeDatabase();
    },
  };

  await dispatcher.rebuild();
  const admin = await users.ensureInitialAdmin();
  await templates.seed();
  return {
    hub,
    firstStart: { masterToken: secrets.generated.masterToken, admin: admin ?? undefined },
  };
}
