// What a plugin sees (spec 17): a plugin is a module exporting `setup(manager)`; `manager` is
// a PluginSetup, through which it fills the three registries: tools (callable by agents with
// plugins.invoke or a [TOOL_CALL]), lifecycle hooks (run after the event's transaction commits,
// asynchronously, each call under a time limit) and capability declarations (shown to operators).
// Registrations take effect only when setup returns without throwing.
import type { z } from 'zod';
import type { PluginHookName } from '@/lib/plugins';
import type { EventPayloads } from '@/lib/events';

/** Who a tool runs for, and how long it may take. */
export interface ToolContext {
  /** The calling agent (agent tokens); null for users and the master token. */
  agentId: string | null;
  /** A label of the caller for rate limits and records: `agent:rex`, `user:ann`, `master`. */
  caller: string;
  taskId: string | null;
  /** Aborted when the tool's time limit passes. */
  signal: AbortSignal;
  now(): Date;
}

export interface ToolAnswer {
  /** What the model reads; cut to LIMITS.toolResultBytes, filesystem paths stripped. */
  text: string;
  data?: unknown;
}

export interface ToolDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /**
   * The arguments' schema (zod; a folder plugin uses `manager.z`); a call that fails it is
   * refused with 400 naming the field. Without one, any JSON object is accepted.
   */
  args?: Schema;
  run(args: z.infer<Schema>, context: ToolContext): Promise<ToolAnswer> | ToolAnswer;
}

/** An expected refusal with a message fit for the caller (no paths, no secrets). */
export type ToolErrorKind = 'bad_input' | 'forbidden' | 'not_found' | 'rate_limited' | 'unavailable' | 'limit_exceeded';

export class ToolError extends Error {
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface HookEvent<Name extends PluginHookName = PluginHookName> {
  type: Name;
  id: number;
  ts: string;
  /** A copy: a hook cannot change what other subscribers receive. */
  payload: EventPayloads[Name];
}

export type HookHandler<Name extends PluginHookName = PluginHookName> = (event: HookEvent<Name>) => Promise<void> | void;

export interface PluginSetup {
  readonly pluginName: string;
  /** The hub's zod, for tools' argument schemas (a plugin folder has no node_modules of its own). */
  readonly z: typeof z;
  registerTool<Schema extends z.ZodType>(definition: ToolDefinition<Schema>): void;
  registerHook<Name extends PluginHookName>(hook: Name, handler: HookHandler<Name>): void;
  declareCapability(name: string, description?: string): void;
  /** Plugins loaded from a folder cannot import the hub's classes: this makes a ToolError. */
  toolError(kind: ToolErrorKind, message: string): ToolError;
  /** One line in the hub's log, prefixed with the plugin's name. */
  log(line: string): void;
}

export interface Plugin {
  name: string;
  setup(manager: PluginSetup): Promise<void> | void;
}
