// Whether an event revokes the credential a stream was opened with: an open event stream ends as
// soon as its API key or agent token is revoked, instead of flowing until the client reconnects.
import type { Principal } from '../auth/principal';
import type { MeshEvent } from '@/lib/events';

export function revokesPrincipal(principal: Principal, event: Pick<MeshEvent, 'type' | 'payload'>): boolean {
  if (principal.kind === 'apiKey') return event.type === 'api_key_revoked' && (event.payload as { keyId: string }).keyId === principal.keyId;
  if (principal.kind === 'agent') return event.type === 'token_revoked' && (event.payload as { tokenId: string }).tokenId === principal.tokenId;
  return false;
}
