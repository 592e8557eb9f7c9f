// The one Principal type: who is calling, resolved once per request. Later doors (API keys,
// peer hubs) add variants here.
import { PERMISSIONS, ROLE_PERMISSIONS, type Permission, type UserRole } from '@/lib/permissions';

export type Principal =
  | { kind: 'master'; sessionId?: string; via: 'token' | 'cookie' }
  | { kind: 'user'; userId: string; username: string; role: UserRole; sessionId: string; via: 'cookie' }
  | { kind: 'agent'; tokenId: string; agentId: string; permissions: readonly Permission[]; via: 'token' }
  /** A third-party API key (m3shd_key_…): its own permission list, not bound to an agent; acts for the whole mesh within it. */
  | { kind: 'apiKey'; keyId: string; name: string; permissions: readonly Permission[]; via: 'token' }
  /** An inbound webhook acting on its own delivery (its secret checked): creates its task, nothing else. */
  | { kind: 'webhook'; webhookId: string; name: string; via: 'token' };

/** What a webhook's action may do: create a task (tasks.create checks tasks:write). */
const WEBHOOK_PERMISSIONS: readonly Permission[] = ['tasks:read', 'tasks:write'];

export function permissionsOf(principal: Principal): readonly Permission[] {
  switch (principal.kind) {
    case 'master':
      return PERMISSIONS;
    case 'user':
      return ROLE_PERMISSIONS[principal.role];
    case 'agent':
    case 'apiKey':
      return principal.permissions;
    case 'webhook':
      return WEBHOOK_PERMISSIONS;
  }
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}

/** A stable label for audit columns (created_by, decided_by, set_by). */
export function principalLabel(principal: Principal): string {
  switch (principal.kind) {
    case 'master':
      return 'master';
    case 'user':
      return `user:${principal.username}`;
    case 'agent':
      return `agent:${principal.agentId}`;
    case 'apiKey':
      return `key:${principal.name}`;
    case 'webhook':
      return `webhook:${principal.name}`;
  }
}

/**
 * Whether the caller acts for the whole mesh: users, the master token, and agent tokens that may
 * change the mesh (agents:write: the commander and admin presets). Worker and mobile tokens act
 * for their own agent only: they see and touch the tasks assigned to it or created by it.
 */
export function seesWholeMesh(principal: Principal): boolean {
  return principal.kind !== 'agent' || principal.permissions.includes('agents:write');
}

/** The scope rule for one task: worker and mobile tokens touch only tasks assigned to their agent or created by it. */
export function canTouchTask(principal: Principal, task: { assignedTo: string | null; createdBy: string }): boolean {
  if (principal.kind !== 'agent' || seesWholeMesh(principal)) return true;
  return task.assignedTo === principal.agentId || task.createdBy === principalLabel(principal);
}
