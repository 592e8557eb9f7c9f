// RBAC: the 17 permissions, the 4 token presets and the 3 user roles (spec section 20).
// Shared by hub, UI, worker and daemon.

export const PERMISSIONS = [
  'tasks:read',
  'tasks:write',
  'tasks:stream',
  'agents:read',
  'agents:write',
  'agents:admin',
  'messages:read',
  'messages:write',
  'memory:read',
  'memory:write',
  'admin:analytics',
  'admin:webhooks',
  'admin:users',
  'admin:tokens',
  'admin:plugins',
  'admin:federation',
  'voice:dispatch',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

// The spec's counts disagree with its lists: it calls the worker preset 10 permissions but
// lists 9, so mobile (worker minus voice:dispatch) is 8 and commander (worker plus
// agents:write and admin:analytics) is 11. We follow the lists.
const WORKER: readonly Permission[] = [
  'tasks:read',
  'tasks:write',
  'tasks:stream',
  'agents:read',
  'messages:read',
  'messages:write',
  'memory:read',
  'memory:write',
  'voice:dispatch',
];

export const PRESETS = {
  worker: WORKER,
  mobile: WORKER.filter((permission) => permission !== 'voice:dispatch'),
  commander: [...WORKER, 'agents:write', 'admin:analytics'],
  admin: PERMISSIONS,
} as const satisfies Record<string, readonly Permission[]>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = ['worker', 'mobile', 'commander', 'admin'] as const satisfies readonly PresetName[];

export const USER_ROLES = ['admin', 'user', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** admin = all 17; user = the commander preset; viewer = the `:read` permissions. */
export const ROLE_PERMISSIONS: Record<UserRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  user: PRESETS.commander,
  viewer: PERMISSIONS.filter((permission) => permission.endsWith(':read')),
};

/**
 * Capabilities the spec gives no permission of their own use the nearest one:
 * - reading the live event stream: `agents:read` (every preset and role has it; each event is
 *   then filtered by its own permission);
 * - shared context (get/list and set/delete): `messages:read` / `messages:write`, as context is
 *   part of the chat's command surface (@context);
 * - approvals and escalations: `tasks:read` to list, `tasks:write` to create or decide;
 * - an agent registering itself and sending heartbeats: `tasks:write` (the permission a worker
 *   uses to take work; `agents:write` is the operator's, for changing other agents); an agent
 *   token may only act as the agent it is bound to;
 * - cost summaries: `tasks:read` (an agent token sees only its own agent's costs unless it
 *   also holds `admin:analytics`); logging usage outside a task report: `tasks:write`, an agent
 *   token for its own agent only;
 * - agent tokens and users: `admin:tokens` / `admin:users`; third-party API keys: `admin:tokens` (a
 *   key acts for the whole mesh within its own permission list, like a commander token, and may
 *   decide approvals when it holds tasks:write: it is an operator's tool, not an agent);
 * - inbound webhooks (create, list, delete, deliveries): `admin:webhooks`;
 * - a signed-in user changing their own password: any authenticated principal;
 * - agent memory (spec: memory:read, memory:write): list, search, the consolidation log and the
 *   memories injected into a task's prompt need `memory:read`; store, delete and consolidate need
 *   `memory:write`. Any agent token works on its own agent's memory only; consolidation, which
 *   rewrites every agent's memory, also needs a caller acting for the whole mesh (users, the
 *   master token, commander and admin tokens).
 * - pipelines and task templates: `tasks:read` to list and get, `tasks:write` to create, change,
 *   delete and dispatch (they are ways of creating tasks); voice dispatch needs `voice:dispatch`.
 * - plugins: listing them `tasks:read`, invoking a tool `tasks:write` (what a worker holds),
 *   enabling/disabling `admin:plugins`.
 */
export const EVENTS_STREAM_PERMISSION: Permission = 'agents:read';
