// The REST paths of spec section 25, each one a tRPC procedure: a route names its procedure,
// and the REST handler calls that procedure through the router's caller, so the zod input
// schema, the permission check, the service and the error mapping are the procedure's own —
// there is no second implementation of anything. Path parameters fill input fields
// (`{id}` → taskId); the rest of the input comes from the JSON body, or from the query string
// for GET. A few spec paths take one of two procedures by a field of the body (PUT
// /api/approvals/{id} with `decision`).
//
// Adding a domain's paths: append a block of routes to
// REST_ROUTES below (or spread in an array exported from the domain's own module); the handler,
// the OpenAPI document and the docs page pick them up, and rest-routes.int.test.ts fails until
// each new path is exercised.

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestVariant {
  procedure: string;
  /** Chosen when the body's `field` equals `value` (or, without a value, when the field is present). */
  when: { field: string; value?: string };
}

export interface RestRoute {
  method: RestMethod;
  /** OpenAPI path template, e.g. /api/tasks/{id}. */
  path: string;
  /** The procedure (dotted path in the app router); or `variants` for a path that fronts two. */
  procedure?: string;
  variants?: RestVariant[];
  summary: string;
  tag: string;
  /** Path parameter → input field. */
  params?: Record<string, string>;
  /** Success status (201 for creations). */
  status?: 200 | 201;
}

const TASKS = 'tasks';
const AGENTS = 'agents';
const CHAT = 'messages and context';
const DECISIONS = 'approvals and escalations';
const ADMIN = 'admin';
const MEMORY = 'memory';
const PIPELINES = 'pipelines';
const TEMPLATES = 'templates';
const PLUGINS = 'plugins';
const INBOX = 'inbox and events';

export const REST_ROUTES: readonly RestRoute[] = [
  // Tasks (operators and workers).
  { method: 'POST', path: '/api/tasks', procedure: 'tasks.create', status: 201, tag: TASKS, summary: 'Create a task and dispatch it' },
  { method: 'GET', path: '/api/tasks', procedure: 'tasks.list', tag: TASKS, summary: 'List tasks (newest first; limit ≤ 500)' },
  { method: 'POST', path: '/api/tasks/claim', procedure: 'tasks.claim', tag: TASKS, summary: 'Claim the tasks assigned to the calling agent (workers)' },
  { method: 'GET', path: '/api/tasks/{id}', procedure: 'tasks.get', params: { id: 'taskId' }, tag: TASKS, summary: 'A task with its attempts' },
  {
    method: 'PUT',
    path: '/api/tasks/{id}',
    procedure: 'tasks.report',
    params: { id: 'taskId' },
    tag: TASKS,
    summary: 'Report a task’s final status and output (workers; idempotent with idempotencyKey)',
  },
  { method: 'GET', path: '/api/tasks/{id}/stream', procedure: 'tasks.chunks', params: { id: 'taskId' }, tag: TASKS, summary: 'Read the task’s stream log' },
  { method: 'POST', path: '/api/tasks/{id}/stream', procedure: 'tasks.stream', params: { id: 'taskId' }, tag: TASKS, summary: 'Append a chunk to the task’s stream log (workers)' },
  {
    method: 'POST',
    path: '/api/tasks/{id}/handoff',
    procedure: 'tasks.handoff',
    params: { id: 'taskId' },
    status: 201,
    tag: TASKS,
    summary: 'Suspend the task and create its continuation with the partial output',
  },
  { method: 'POST', path: '/api/tasks/{id}/cancel', procedure: 'tasks.cancel', params: { id: 'taskId' }, tag: TASKS, summary: 'Cancel a task' },
  { method: 'POST', path: '/api/tasks/{id}/retry', procedure: 'tasks.retry', params: { id: 'taskId' }, tag: TASKS, summary: 'Queue a failed or cancelled task again' },

  // Agents.
  { method: 'GET', path: '/api/agents', procedure: 'agents.list', tag: AGENTS, summary: 'List agents' },
  { method: 'GET', path: '/api/agents/{id}', procedure: 'agents.get', params: { id: 'agentId' }, tag: AGENTS, summary: 'One agent' },
  { method: 'POST', path: '/api/agents/{id}/register', procedure: 'agents.register', params: { id: 'id' }, tag: AGENTS, summary: 'Register (or re-register) a worker' },
  { method: 'POST', path: '/api/agents/{id}/heartbeat', procedure: 'agents.heartbeat', params: { id: 'agentId' }, tag: AGENTS, summary: 'Keep-alive ping with the tasks the worker holds' },

  // Messages and the shared context.
  { method: 'POST', path: '/api/messages', procedure: 'messages.send', status: 201, tag: CHAT, summary: 'Post a message (50 KB max)' },
  { method: 'GET', path: '/api/messages', procedure: 'messages.list', tag: CHAT, summary: 'Messages of a channel, newest first (limit ≤ 500)' },
  { method: 'GET', path: '/api/context', procedure: 'context.list', tag: CHAT, summary: 'Every shared context entry' },
  { method: 'GET', path: '/api/context/{key}', procedure: 'context.get', params: { key: 'key' }, tag: CHAT, summary: 'One context entry' },
  { method: 'PUT', path: '/api/context/{key}', procedure: 'context.set', params: { key: 'key' }, tag: CHAT, summary: 'Set a context entry' },
  { method: 'DELETE', path: '/api/context/{key}', procedure: 'context.delete', params: { key: 'key' }, tag: CHAT, summary: 'Delete a context entry' },

  // Approvals and escalations.
  { method: 'POST', path: '/api/approvals', procedure: 'approvals.create', status: 201, tag: DECISIONS, summary: 'Ask the operator to approve an action' },
  { method: 'GET', path: '/api/approvals', procedure: 'approvals.list', tag: DECISIONS, summary: 'List approvals' },
  {
    method: 'PUT',
    path: '/api/approvals/{id}',
    variants: [
      { procedure: 'approvals.approve', when: { field: 'decision', value: 'approve' } },
      { procedure: 'approvals.reject', when: { field: 'decision', value: 'reject' } },
    ],
    params: { id: 'approvalId' },
    tag: DECISIONS,
    summary: 'Decide an approval: { "decision": "approve" | "reject" }',
  },
  { method: 'GET', path: '/api/escalations', procedure: 'escalations.list', tag: DECISIONS, summary: 'List escalations' },
  {
    method: 'PUT',
    path: '/api/escalations/{id}',
    variants: [
      { procedure: 'escalations.acknowledge', when: { field: 'action', value: 'acknowledge' } },
      { procedure: 'escalations.resolve', when: { field: 'action', value: 'resolve' } },
    ],
    params: { id: 'escalationId' },
    tag: DECISIONS,
    summary: 'Acknowledge or resolve an escalation: { "action": "acknowledge" | "resolve" }',
  },

  // Administration.
  { method: 'GET', path: '/api/admin/users', procedure: 'users.list', tag: ADMIN, summary: 'List users' },
  { method: 'POST', path: '/api/admin/users', procedure: 'users.create', status: 201, tag: ADMIN, summary: 'Create a user (a generated password is returned once)' },
  {
    method: 'PUT',
    path: '/api/admin/users/{id}',
    variants: [
      { procedure: 'users.setRole', when: { field: 'role' } },
      { procedure: 'users.setDisabled', when: { field: 'disabled' } },
    ],
    params: { id: 'userId' },
    tag: ADMIN,
    summary: 'Change a user’s role ({ "role": … }) or disable/enable them ({ "disabled": true | false })',
  },
  { method: 'POST', path: '/api/admin/users/{id}/reset-password', procedure: 'users.resetPassword', params: { id: 'userId' }, tag: ADMIN, summary: 'Reset a user’s password' },
  { method: 'GET', path: '/api/admin/keys', procedure: 'keys.list', tag: ADMIN, summary: 'Third-party API keys with today’s usage (never the key itself)' },
  { method: 'POST', path: '/api/admin/keys', procedure: 'keys.create', status: 201, tag: ADMIN, summary: 'Create an API key (returned once); admin-grade permissions need the master token' },
  { method: 'DELETE', path: '/api/admin/keys/{id}', procedure: 'keys.revoke', params: { id: 'keyId' }, tag: ADMIN, summary: 'Revoke an API key (refused from its next request on)' },
  { method: 'GET', path: '/api/admin/webhooks', procedure: 'webhooks.list', tag: ADMIN, summary: 'Inbound webhooks (never their secrets)' },
  { method: 'POST', path: '/api/admin/webhooks', procedure: 'webhooks.create', status: 201, tag: ADMIN, summary: 'Create an inbound webhook (its secret is returned once)' },
  { method: 'DELETE', path: '/api/admin/webhooks/{id}', procedure: 'webhooks.delete', params: { id: 'webhookId' }, tag: ADMIN, summary: 'Delete an inbound webhook' },
  { method: 'GET', path: '/api/admin/webhooks/{id}/deliveries', procedure: 'webhooks.deliveries', params: { id: 'webhookId' }, tag: ADMIN, summary: 'A webhook’s recent deliveries with their outcome' },
  { method: 'GET', path: '/api/admin/analytics/tasks', procedure: 'analytics.tasks', tag: ADMIN, summary: 'Task counts by status, agent, day and capability' },
  { method: 'GET', path: '/api/admin/analytics/costs', procedure: 'analytics.costs', tag: ADMIN, summary: 'Costs by agent and day' },
  { method: 'GET', path: '/api/admin/analytics/agents', procedure: 'analytics.agents', tag: ADMIN, summary: 'Uptime and tasks per agent' },
  { method: 'GET', path: '/api/admin/analytics/summary', procedure: 'analytics.summary', tag: ADMIN, summary: 'The dashboard header’s quick view' },

  // Task links and copies (spec section 15).
  { method: 'GET', path: '/api/tasks/{id}/links', procedure: 'tasks.links', params: { id: 'taskId' }, tag: TASKS, summary: 'The task’s parents and children (dependencies) and its pipeline' },
  { method: 'POST', path: '/api/tasks/{id}/duplicate', procedure: 'tasks.duplicate', params: { id: 'taskId' }, status: 201, tag: TASKS, summary: 'Create a new task with the same title, prompt and routing' },

  // Agent memory (spec section 14). Consolidation rewrites every agent’s memory, so it has no
  // agent in its path; its log can be read per agent or for the whole mesh.
  { method: 'POST', path: '/api/agents/{id}/memory', procedure: 'memory.store', params: { id: 'agentId' }, status: 201, tag: MEMORY, summary: 'Store (or overwrite) one memory of the agent' },
  { method: 'GET', path: '/api/agents/{id}/memory', procedure: 'memory.list', params: { id: 'agentId' }, tag: MEMORY, summary: 'The agent’s memories, newest first (limit ≤ 500)' },
  { method: 'DELETE', path: '/api/agents/{id}/memory', procedure: 'memory.delete', params: { id: 'agentId' }, tag: MEMORY, summary: 'Delete one memory of the agent (?key=…)' },
  { method: 'GET', path: '/api/agents/{id}/memory/search', procedure: 'memory.search', params: { id: 'agentId' }, tag: MEMORY, summary: 'Full-text search of the agent’s memories (?query=…)' },
  { method: 'GET', path: '/api/agents/{id}/memory/consolidations', procedure: 'memory.consolidations', params: { id: 'agentId' }, tag: MEMORY, summary: 'What consolidation changed in the agent’s memory, newest first' },
  { method: 'POST', path: '/api/memory/consolidate', procedure: 'memory.consolidate', tag: MEMORY, summary: 'Consolidate every agent’s memory now (operators)' },
  { method: 'GET', path: '/api/memory/consolidations', procedure: 'memory.consolidations', tag: MEMORY, summary: 'The consolidation log of the whole mesh (?agentId=… narrows it)' },

  // Pipelines (spec section 15).
  { method: 'POST', path: '/api/pipelines', procedure: 'pipelines.create', status: 201, tag: PIPELINES, summary: 'Create a pipeline: tasks run in sequence, each step gets the previous output' },
  { method: 'GET', path: '/api/pipelines', procedure: 'pipelines.list', tag: PIPELINES, summary: 'List pipelines, newest first (limit ≤ 500, cursor)' },
  { method: 'GET', path: '/api/pipelines/{id}', procedure: 'pipelines.get', params: { id: 'pipelineId' }, tag: PIPELINES, summary: 'A pipeline with the state of each step' },

  // Task templates (spec section 16).
  { method: 'POST', path: '/api/templates', procedure: 'templates.create', status: 201, tag: TEMPLATES, summary: 'Create a template with {variable} placeholders' },
  { method: 'GET', path: '/api/templates', procedure: 'templates.list', tag: TEMPLATES, summary: 'List templates' },
  { method: 'GET', path: '/api/templates/{id}', procedure: 'templates.get', params: { id: 'templateId' }, tag: TEMPLATES, summary: 'One template' },
  { method: 'PUT', path: '/api/templates/{id}', procedure: 'templates.update', params: { id: 'templateId' }, tag: TEMPLATES, summary: 'Change a template (null capability: any agent)' },
  { method: 'DELETE', path: '/api/templates/{id}', procedure: 'templates.delete', params: { id: 'templateId' }, tag: TEMPLATES, summary: 'Delete a template' },
  { method: 'POST', path: '/api/templates/{id}/dispatch', procedure: 'templates.dispatch', params: { id: 'templateId' }, status: 201, tag: TEMPLATES, summary: 'Create a task from the template with { "variables": { … } }' },

  // Plugins (spec section 17).
  { method: 'GET', path: '/api/plugins', procedure: 'plugins.list', tag: PLUGINS, summary: 'The plugins, their tools and their usage' },
  { method: 'PUT', path: '/api/plugins/{name}', procedure: 'plugins.setEnabled', params: { name: 'name' }, tag: PLUGINS, summary: 'Enable or disable a plugin: { "enabled": true | false }' },
  { method: 'POST', path: '/api/plugins/{tool}/invoke', procedure: 'plugins.invoke', params: { tool: 'tool' }, tag: PLUGINS, summary: 'Invoke a plugin tool with { "args": { … } }' },

  // The operator's inbox and the event log.
  { method: 'GET', path: '/api/inbox', procedure: 'inbox.get', tag: INBOX, summary: 'What needs the operator: pending approvals, open escalations, failed, overdue and stuck tasks' },
  { method: 'GET', path: '/api/events', procedure: 'events.history', tag: INBOX, summary: 'The event log, newest first (beforeId pages back; types, text filter)' },
];
