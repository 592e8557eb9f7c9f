// Schemas and views of the plugins.* procedures and of the built-in tools' arguments (spec 17),
// shared by every door (tRPC, the worker, later REST/OpenAPI and MCP).
import { z } from 'zod';
import { LIMITS, utf8Bytes } from './limits';
import { TOOL_NAME_PATTERN } from './tool-calls';

export const toolNameSchema = z.string().regex(TOOL_NAME_PATTERN, 'must match [a-z][a-z0-9_]{0,63}');
/** Plugin names: a built-in's name, or a plugin file's name without its extension. */
export const pluginNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must match [a-z][a-z0-9_-]{0,63}');

/** A tool call's arguments: a JSON object of at most LIMITS.toolArgsBytes. */
export const toolArgsSchema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  if (utf8Bytes(JSON.stringify(value)) > LIMITS.toolArgsBytes) {
    ctx.addIssue({ code: 'custom', message: `exceeds the ${LIMITS.toolArgsBytes / 1024} KB limit (toolArgsBytes)`, params: { limit: 'toolArgsBytes' } });
  }
});

export const pluginsInvokeInput = z.object({
  tool: toolNameSchema,
  args: toolArgsSchema.default({}),
  /** The task the call is made for, when a worker makes it (kept with nothing but the event). */
  taskId: z.string().max(64).optional(),
});
export type PluginsInvokeInput = z.input<typeof pluginsInvokeInput>;

export const pluginsSetEnabledInput = z.object({ name: pluginNameSchema, enabled: z.boolean() });

/** What a tool answers: text for the model (≤ LIMITS.toolResultBytes), and optional structured data. */
export const toolInvocationResultSchema = z.object({
  tool: z.string(),
  plugin: z.string(),
  text: z.string(),
  data: z.unknown().optional(),
});
export type ToolInvocationResult = z.infer<typeof toolInvocationResultSchema>;

export const PLUGIN_STATUSES = ['active', 'disabled', 'failed'] as const;
export type PluginStatus = (typeof PLUGIN_STATUSES)[number];

/** plugins.list's rows (and plugins.setEnabled's answer). Dates are ISO strings. */
export const pluginViewSchema = z.object({
  name: z.string(),
  /** builtin (part of the hub) or directory (loaded from MESH_PLUGINS_DIR). */
  source: z.enum(['builtin', 'directory']),
  /** active; disabled (by an admin, or after a hook threw); failed (its setup threw: not loaded). */
  status: z.enum(PLUGIN_STATUSES),
  enabled: z.boolean(),
  tools: z.array(z.object({ name: z.string(), description: z.string() })),
  hooks: z.array(z.string()),
  capabilities: z.array(z.string()),
  invocations: z.number().int(),
  failures: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastInvokedAt: z.string().nullable(),
});
export type PluginView = z.infer<typeof pluginViewSchema>;

export const PLUGIN_HOOKS = ['task_created', 'task_completed', 'task_failed', 'agent_online', 'agent_offline'] as const;
export type PluginHookName = (typeof PLUGIN_HOOKS)[number];

// The built-in tools' arguments.
export const webSearchArgs = z.object({
  query: z.string().trim().min(1).max(500),
  limit: z.number().int().min(1).max(10).default(5),
});

export const fileSummaryArgs = z.object({
  /** Relative to MESH_FILES_ROOT (an absolute path is accepted only if it lies inside the root). */
  path: z.string().min(1).max(1024),
});

export const notifyArgs = z.object({
  message: z.string().trim().min(1).max(2_000),
  title: z.string().trim().min(1).max(120).optional(),
  priority: z.number().int().min(1).max(5).default(3),
});

export const memoryEnhanceArgs = z.object({
  query: z.string().trim().min(1).max(2_000),
  limit: z.number().int().min(1).max(20).default(5),
});
