// Facts about a request the hub needs for auth: the client's IP (X-Forwarded-For only when
// MESH_TRUST_PROXY is set) and whether its Origin is the hub's own.
import type { IncomingMessage } from 'node:http';
import type { HubConfig } from '../config';

/** Set by the custom server on every request handed to Next (any client-sent value is replaced). */
export const CLIENT_IP_HEADER = 'x-m3shd-client-ip';

export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

/** The origins the hub's pages are served from: MESH_PUBLIC_URL, else the request's own host. */
export function originAllowed(request: IncomingMessage, config: HubConfig): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  if (config.publicUrl && origin === new URL(config.publicUrl).origin) return true;
  const host = config.trustProxy ? (request.headers['x-forwarded-host'] ?? request.headers.host) : request.headers.host;
  if (!host) return false;
  const encrypted = 'encrypted' in request.socket && Boolean(request.socket.encrypted);
  const forwardedProto = config.trustProxy ? String(request.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() : '';
  const protocol = forwardedProto || (encrypted ? 'https' : 'http');
  return origin === `${protocol}://${host}`;
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/** Whether cookies set for this request should carry Secure. */
export function isSecureRequest(request: IncomingMessage, config: HubConfig): boolean {
  if (config.publicUrl) return config.publicUrl.startsWith('https:');
  if ('encrypted' in request.socket && request.socket.encrypted) return true;
  return config.trustProxy && String(request.headers['x-forwarded-proto'] ?? '').startsWith('https');
}
