// What the worker says when the hub cannot be reached or refuses it: one line naming the hub's
// URL and the cause (connection refused, host not found, a TLS problem, a wrong token), never a
// stack or the token.
import { isTimeout, unreachableReason } from '../src/lib/connection-errors';

function httpStatus(error: unknown): number | undefined {
  return (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
}

function hubMessage(error: unknown): string {
  const data = (error as { data?: { message?: unknown } })?.data;
  const message = typeof data?.message === 'string' ? data.message : error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The URL as printed: credentials in it (http://user:pass@host) are never shown. */
export function displayHubUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** Why the request to the hub failed, in one line. */
export function describeHubFailure(error: unknown, hubUrl: string): string {
  const url = displayHubUrl(hubUrl);
  const unreachable = unreachableReason(error);
  if (unreachable) return `cannot reach the hub at ${url} (${unreachable})`;
  if (isTimeout(error)) return `the hub at ${url} did not answer in time`;
  const status = httpStatus(error);
  if (status === 401) return `the hub at ${url} refused the token (401: ${hubMessage(error)}); check MESH_TOKEN`;
  if (status === 403) return `the hub at ${url} refused this agent (403: ${hubMessage(error)})`;
  if (status !== undefined) return `the hub at ${url} answered ${status}: ${hubMessage(error)}`;
  return `the hub at ${url} did not answer as an m3shd hub (${hubMessage(error)})`;
}
