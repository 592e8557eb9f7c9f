// Which events a principal may receive: those whose permission it holds; an agent token
// additionally sees only its own agent's events and broadcasts (events for no agent).
import { hasPermission, type Principal } from '../auth/principal';
import type { StoredEvent } from './event-bus';

export function canSeeEvent(principal: Principal, event: StoredEvent): boolean {
  if (!hasPermission(principal, event.scope.permission)) return false;
  if (principal.kind === 'agent' && event.scope.agentId && event.scope.agentId !== principal.agentId) return false;
  return true;
}
