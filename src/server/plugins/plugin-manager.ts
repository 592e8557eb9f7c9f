// The plugin manager (spec 17): three registries — tools, lifecycle hooks, capability
// declarations — filled by each plugin's setup(manager) at hub start: the built-ins first, then
// the modules in MESH_PLUGINS_DIR. Whatever a plugin does wrong stays inside it:
// - a setup that throws (or hangs past its time limit) leaves the plugin `failed`, registered
//   nothing, and the hub starts normally;
// - a hook that throws disables its plugin (persisted, logged in one line without stack or path,
//   published as plugin_updated); a hook past its time limit is abandoned and recorded;
// - a tool that throws answers its caller with a clean error, never a crash.
// Hooks hear the event bus after commit through one server-side subscription whose filter is a
// type check, and run detached from it, so neither the transaction that emitted the event nor
// other plugins' hooks wait for them.
import type { HubLogger } from '../logging/logger';
import { z } from 'zod';
import { LIMITS, truncateToBytes, utf8Bytes } from '@/lib/limits';
import { PLUGIN_HOOKS, type PluginHookName, type PluginView, type ToolInvocationResult } from '@/lib/plugins';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import { AppError, badInput, notFound, type AppErrorKind } from '../errors';
import type { EventBus, StoredEvent } from '../events/event-bus';
import type { Subscription } from '../events/subscription';
import { ToolError, type HookEvent, type HookHandler, type Plugin, type PluginSetup, type ToolContext, type ToolDefinition } from './plugin-api';
import { loadPluginDirectory } from './plugin-loader';
import { PluginStateStore, type PluginStateRow } from './plugin-state-store';
import { describePluginError, stripPaths } from './strip-paths';

/** How long a plugin's setup may take before it counts as failed. */
export const PLUGIN_SETUP_TIMEOUT_MS = 10_000;
/** Hook calls of one plugin still running (slow or hung) beyond which its next calls are skipped. */
export const MAX_HOOK_CALLS_IN_FLIGHT = 16;

const ANY_ARGS = z.record(z.string(), z.unknown());

interface LoadedPlugin {
  name: string;
  source: 'builtin' | 'directory';
  /** Why setup failed; the plugin then has no tools, hooks or capabilities. */
  setupError: string | null;
  tools: Map<string, ToolDefinition>;
  hooks: Map<PluginHookName, HookHandler[]>;
  capabilities: { name: string; description: string }[];
  state: PluginStateRow;
  hookCallsInFlight: number;
  /** Hook calls skipped because too many were in flight (logged at the first and every 100th). */
  hookCallsSkipped: number;
}

/** Who invokes a tool. */
export interface ToolCaller {
  agentId: string | null;
  label: string;
}

export interface PluginManagerDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: Pick<HubConfig, 'pluginsDir' | 'pluginHookTimeoutMs' | 'pluginToolTimeoutMs'>;
  /** Plugin failures are warnings; without a logger (tests that build a manager alone) they go to stderr. */
  logger?: HubLogger;
}

const TOOL_ERROR_KINDS: Record<ToolError['kind'], AppErrorKind> = {
  bad_input: 'bad_input',
  forbidden: 'forbidden',
  not_found: 'not_found',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  limit_exceeded: 'limit_exceeded',
};

function emptyState(name: string): PluginStateRow {
  return { name, enabled: true, invocations: 0, failures: 0, lastError: null, lastErrorAt: null, lastInvokedAt: null };
}

/** Strings inside a tool's structured data lose their paths too; data over the result limit is dropped. */
function sanitizeData(data: unknown): unknown {
  if (data === undefined) return undefined;
  let json: string;
  try {
    json = JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? stripPaths(value) : value));
  } catch {
    return undefined;
  }
  if (json === undefined || utf8Bytes(json) > LIMITS.toolResultBytes) return undefined;
  return JSON.parse(json) as unknown;
}

export class PluginManager {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly toolOwners = new Map<string, LoadedPlugin>();
  private readonly store: PluginStateStore;
  private readonly log: (line: string) => void;
  private subscription: Subscription | null = null;
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: PluginManagerDeps) {
    this.store = new PluginStateStore({ db: deps.db, clock: deps.clock });
    const logger = deps.logger;
    this.log = logger ? (line) => logger.warn(line) : (line) => console.warn(`[m3shd] ${line}`);
  }

  /** Runs every plugin's setup (built-ins, then the folder's), then reads their stored state. */
  async load(builtins: Plugin[]): Promise<void> {
    for (const plugin of builtins) await this.setUp(plugin, 'builtin');
    if (this.deps.config.pluginsDir) {
      for (const found of await loadPluginDirectory(this.deps.config.pluginsDir, this.log)) {
        if (found.plugin) await this.setUp(found.plugin, 'directory');
        else this.addFailed(found.name, 'directory', found.error);
      }
    }
    const states = await this.store.loadAll([...this.plugins.keys()]);
    for (const plugin of this.plugins.values()) {
      plugin.state = states.get(plugin.name) ?? plugin.state;
      if (plugin.setupError) await this.store.recordError(plugin.name, plugin.setupError, false).catch(() => undefined);
      if (plugin.setupError) plugin.state = { ...plugin.state, failures: plugin.state.failures + 1, lastError: plugin.setupError, lastErrorAt: this.deps.clock.now() };
    }
  }

  /** Starts feeding lifecycle hooks from the event bus (after each commit). */
  async startHooks(): Promise<void> {
    if (this.subscription || this.closed) return;
    const hookTypes = new Set<string>(PLUGIN_HOOKS);
    const subscription = await this.deps.events.subscribe((event) => hookTypes.has(event.type), undefined, { internal: true });
    this.subscription = subscription;
    void (async () => {
      for await (const item of subscription.items()) {
        if (item.type === 'resync') {
          this.log('plugins: hooks missed events (the hook queue overflowed)');
          continue;
        }
        this.dispatchHooks(item as StoredEvent);
      }
    })();
  }

  /** Waits for the hook calls started so far (tests; shutdown does not wait for hung hooks). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
    this.subscription?.close();
    this.subscription = null;
  }

  list(): PluginView[] {
    return [...this.plugins.values()].map((plugin) => this.view(plugin));
  }

  /** The tools agents may call now (enabled plugins whose setup succeeded). */
  activeToolNames(): string[] {
    return [...this.toolOwners.entries()].filter(([, plugin]) => this.isActive(plugin)).map(([name]) => name);
  }

  async setEnabled(name: string, enabled: boolean): Promise<PluginView> {
    const plugin = this.plugins.get(name);
    if (!plugin) throw notFound(`plugin "${name}"`);
    await this.store.setEnabled(name, enabled);
    plugin.state = { ...plugin.state, enabled };
    await this.deps.events.publish('plugin_updated', { name, enabled, status: this.status(plugin), reason: 'admin' }, { permission: 'admin:plugins' });
    return this.view(plugin);
  }

  /**
   * Runs one tool for a caller. Refusals (unknown tool, disabled plugin, bad arguments, the
   * tool's own ToolError) become AppErrors with the right code; anything else the tool throws
   * becomes "tool failed" with a one-line, path-free reason. Every outcome is counted and
   * published as plugin_invoked (tool, agent, ok/error; never the arguments).
   */
  async invoke(caller: ToolCaller, input: { tool: string; args: Record<string, unknown>; taskId?: string }): Promise<ToolInvocationResult> {
    const plugin = this.toolOwners.get(input.tool);
    if (!plugin) throw notFound(`tool "${input.tool}"`);
    if (!this.isActive(plugin)) throw new AppError('conflict', `tool "${input.tool}" is disabled (plugin ${plugin.name})`);
    const tool = plugin.tools.get(input.tool)!;
    let outcome: { ok: true; result: ToolInvocationResult } | { ok: false; error: AppError };
    const parsed = (tool.args ?? ANY_ARGS).safeParse(input.args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      outcome = { ok: false, error: badInput(['args', ...issue.path.map(String)].join('.'), issue.message) };
    } else {
      outcome = await this.runTool(plugin, tool, parsed.data, caller, input.taskId ?? null);
    }
    await this.record(plugin, input.tool, caller, outcome.ok ? { ok: true } : { ok: false, error: outcome.error });
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  private async runTool(plugin: LoadedPlugin, tool: ToolDefinition, args: unknown, caller: ToolCaller, taskId: string | null) {
    const limitMs = this.deps.config.pluginToolTimeoutMs;
    const controller = new AbortController();
    const context: ToolContext = { agentId: caller.agentId, caller: caller.label, taskId, signal: controller.signal, now: () => this.deps.clock.now() };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, limitMs);
    });
    try {
      const answer = await Promise.race([Promise.resolve().then(() => tool.run(args, context)), timedOut]);
      if (answer === 'timeout') return { ok: false as const, error: new AppError('unavailable', `tool "${tool.name}" timed out after ${limitMs} ms`) };
      if (!answer || typeof answer.text !== 'string') return { ok: false as const, error: new AppError('unavailable', `tool "${tool.name}" failed: it returned no text`) };
      const text = truncateToBytes(stripPaths(answer.text), LIMITS.toolResultBytes);
      const data = sanitizeData(answer.data);
      return { ok: true as const, result: { tool: tool.name, plugin: plugin.name, text, ...(data === undefined ? {} : { data }) } };
    } catch (error) {
      if (error instanceof ToolError) return { ok: false as const, error: new AppError(TOOL_ERROR_KINDS[error.kind] ?? 'unavailable', describePluginError(error)) };
      if (error instanceof z.ZodError) return { ok: false as const, error: new AppError('bad_input', describePluginError(error.issues[0]?.message ?? 'bad arguments')) };
      return { ok: false as const, error: new AppError('unavailable', `tool "${tool.name}" failed: ${describePluginError(error)}`) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async record(plugin: LoadedPlugin, tool: string, caller: ToolCaller, outcome: { ok: true } | { ok: false; error: AppError }) {
    const now = this.deps.clock.now();
    const lastError = outcome.ok ? null : `${tool}: ${outcome.error.message}`.slice(0, 300);
    plugin.state = {
      ...plugin.state,
      invocations: plugin.state.invocations + 1,
      lastInvokedAt: now,
      ...(lastError ? { failures: plugin.state.failures + 1, lastError, lastErrorAt: now } : {}),
    };
    try {
      await this.store.recordInvocation(plugin.name, lastError ? { ok: false, error: lastError } : { ok: true });
      await this.deps.events.publish(
        'plugin_invoked',
        { tool, plugin: plugin.name, agentId: caller.agentId, ok: outcome.ok, error: outcome.ok ? null : outcome.error.kind },
        { permission: 'tasks:read', agentId: caller.agentId },
      );
    } catch (error) {
      // The caller's answer does not depend on the bookkeeping.
      this.log(`plugins: the invocation of ${tool} was not recorded (${describePluginError(error)})`);
    }
  }

  private isActive(plugin: LoadedPlugin): boolean {
    return plugin.setupError === null && plugin.state.enabled;
  }

  private status(plugin: LoadedPlugin): PluginView['status'] {
    if (plugin.setupError !== null) return 'failed';
    return plugin.state.enabled ? 'active' : 'disabled';
  }

  private view(plugin: LoadedPlugin): PluginView {
    const state = plugin.state;
    return {
      name: plugin.name,
      source: plugin.source,
      status: this.status(plugin),
      enabled: state.enabled,
      tools: [...plugin.tools.values()].map((tool) => ({ name: tool.name, description: tool.description })),
      hooks: [...plugin.hooks.keys()],
      capabilities: plugin.capabilities.map((capability) => capability.name),
      invocations: state.invocations,
      failures: state.failures,
      lastError: state.lastError,
      lastErrorAt: state.lastErrorAt?.toISOString() ?? null,
      lastInvokedAt: state.lastInvokedAt?.toISOString() ?? null,
    };
  }

  private addFailed(name: string, source: LoadedPlugin['source'], error: string): void {
    if (this.plugins.has(name)) {
      this.log(`plugins: a second plugin named "${name}" was not loaded`);
      return;
    }
    this.log(`plugins: "${name}" failed to load and is off: ${error}`);
    this.plugins.set(name, { name, source, setupError: error, tools: new Map(), hooks: new Map(), capabilities: [], state: emptyState(name), hookCallsInFlight: 0, hookCallsSkipped: 0 });
  }

  /** Registrations are staged and kept only if setup returns (in time) without throwing. */
  private async setUp(plugin: Plugin, source: LoadedPlugin['source']): Promise<void> {
    if (this.plugins.has(plugin.name)) return this.addFailed(`${plugin.name}`, source, 'name taken');
    const tools = new Map<string, ToolDefinition>();
    const hooks = new Map<PluginHookName, HookHandler[]>();
    const capabilities: { name: string; description: string }[] = [];
    let open = true;
    const guard = () => {
      if (!open) throw new Error('registrations are accepted only during setup');
    };
    const api: PluginSetup = {
      pluginName: plugin.name,
      z,
      registerTool: (definition) => {
        guard();
        if (!/^[a-z][a-z0-9_]{0,63}$/.test(definition?.name ?? '')) throw new Error('a tool name must match [a-z][a-z0-9_]{0,63}');
        if (typeof definition.run !== 'function') throw new Error(`tool "${definition.name}" needs a run function`);
        if (definition.args !== undefined && !(definition.args instanceof z.ZodType)) throw new Error(`tool "${definition.name}": args must be a zod schema (manager.z)`);
        if (this.toolOwners.has(definition.name) || tools.has(definition.name)) throw new Error(`tool "${definition.name}" is already registered`);
        tools.set(definition.name, { ...definition, description: String(definition.description ?? '').slice(0, 300), args: definition.args ?? ANY_ARGS } as unknown as ToolDefinition);
      },
      registerHook: (hook, handler) => {
        guard();
        if (!(PLUGIN_HOOKS as readonly string[]).includes(hook)) throw new Error(`unknown hook "${String(hook)}" (hooks: ${PLUGIN_HOOKS.join(', ')})`);
        if (typeof handler !== 'function') throw new Error(`the ${hook} hook needs a function`);
        hooks.set(hook, [...(hooks.get(hook) ?? []), handler as HookHandler]);
      },
      declareCapability: (name, description = '') => {
        guard();
        if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) throw new Error('a capability name must match [a-z0-9][a-z0-9_-]{0,63}');
        capabilities.push({ name, description: String(description).slice(0, 200) });
      },
      toolError: (kind, message) => new ToolError(kind, message),
      log: (line) => this.log(`plugin ${plugin.name}: ${stripPaths(String(line)).slice(0, 500)}`),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        Promise.resolve().then(() => plugin.setup(api)),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), PLUGIN_SETUP_TIMEOUT_MS);
        }),
      ]);
      if (outcome === 'timeout') throw new Error(`setup did not finish within ${PLUGIN_SETUP_TIMEOUT_MS} ms`);
    } catch (error) {
      open = false;
      return this.addFailed(plugin.name, source, `setup threw: ${describePluginError(error)}`);
    } finally {
      clearTimeout(timer);
    }
    open = false;
    const loaded: LoadedPlugin = { name: plugin.name, source, setupError: null, tools, hooks, capabilities, state: emptyState(plugin.name), hookCallsInFlight: 0, hookCallsSkipped: 0 };
    this.plugins.set(plugin.name, loaded);
    for (const name of tools.keys()) this.toolOwners.set(name, loaded);
  }

  private dispatchHooks(event: StoredEvent): void {
    const hook = event.type as PluginHookName;
    for (const plugin of this.plugins.values()) {
      const handlers = plugin.hooks.get(hook);
      if (!handlers || !this.isActive(plugin)) continue;
      for (const handler of handlers) {
        if (plugin.hookCallsInFlight >= MAX_HOOK_CALLS_IN_FLIGHT) {
          plugin.hookCallsSkipped += 1;
          if (plugin.hookCallsSkipped === 1 || plugin.hookCallsSkipped % 100 === 0) {
            this.log(`plugins: "${plugin.name}" has ${MAX_HOOK_CALLS_IN_FLIGHT} hook calls still running; ${plugin.hookCallsSkipped} call(s) skipped so far`);
          }
          continue;
        }
        const copy: HookEvent = { type: hook, id: event.id, ts: event.ts, payload: structuredClone(event.payload) as HookEvent['payload'] };
        this.runHook(plugin, hook, handler, copy);
      }
    }
  }

  private runHook(plugin: LoadedPlugin, hook: PluginHookName, handler: HookHandler, event: HookEvent): void {
    const limitMs = this.deps.config.pluginHookTimeoutMs;
    plugin.hookCallsInFlight += 1;
    const call = Promise.resolve().then(() => handler(event));
    void call.then(
      () => (plugin.hookCallsInFlight -= 1),
      () => (plugin.hookCallsInFlight -= 1),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
    });
    const tracked = Promise.race([call.then(() => 'ok' as const, (error: unknown) => ({ error })), timedOut])
      .then(async (outcome) => {
        clearTimeout(timer);
        if (outcome === 'ok') return;
        if (outcome === 'timeout') {
          const message = `the ${hook} hook did not finish within ${limitMs} ms`;
          this.log(`plugins: "${plugin.name}": ${message}`);
          plugin.state = { ...plugin.state, failures: plugin.state.failures + 1, lastError: message, lastErrorAt: this.deps.clock.now() };
          await this.store.recordError(plugin.name, message, false);
          return;
        }
        await this.disableAfterHookFailure(plugin, hook, outcome.error);
      })
      .catch((error: unknown) => this.log(`plugins: could not record a hook outcome of "${plugin.name}" (${describePluginError(error)})`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async disableAfterHookFailure(plugin: LoadedPlugin, hook: PluginHookName, error: unknown): Promise<void> {
    const message = `the ${hook} hook threw: ${describePluginError(error)}`.slice(0, 300);
    const wasEnabled = plugin.state.enabled;
    plugin.state = { ...plugin.state, enabled: false, failures: plugin.state.failures + 1, lastError: message, lastErrorAt: this.deps.clock.now() };
    this.log(`plugins: "${plugin.name}" disabled: ${message}`);
    await this.store.recordError(plugin.name, message, true);
    if (wasEnabled) {
      await this.deps.events.publish('plugin_updated', { name: plugin.name, enabled: false, status: this.status(plugin), reason: 'hook_failed' }, { permission: 'admin:plugins' });
    }
  }
}
