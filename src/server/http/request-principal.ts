// Who made a request, noted where it is authenticated (resolvePrincipal) for the request log.
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal';

const principals = new WeakMap<IncomingMessage, Principal['kind'] | 'anonymous'>();

export function notePrincipal(request: IncomingMessage, principal: Principal | null): void {
  principals.set(request, principal?.kind ?? 'anonymous');
}

export function principalKindOf(request: IncomingMessage): Principal['kind'] | 'anonymous' {
  return principals.get(request) ?? 'anonymous';
}
