// Which events a principal may receive: those whose permission it holds. A worker or mobile
// agent token additionally sees only its own agent's events and broadcasts (events for no
// agent); a token that acts for the whole mesh (agents:write: the commander and admin presets)
// watches every agent, as a commander must (spec section 12, `mesh tail`).
import { hasPermission, seesWholeMesh, type Principal } from '../auth/principal';
import type { StoredEvent } from './event-bus';

export function canSeeEvent(principal: Principal, event: StoredEvent): boolean {
  if (!hasPermission(principal, event.scope.permission)) return false;
  if (principal.kind === 'agent' && !seesWholeMesh(principal) && event.scope.agentId && event.scope.agentId !== principal.agentId) return false;
  return true;
}
