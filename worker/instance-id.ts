// A worker process's instance id: new at every start, sent on register, every heartbeat and
// every claim. The hub releases what a previous instance of the agent held when a new one
// registers, and refuses claims from an instance that was replaced.
import { randomBytes } from 'node:crypto';

/** 16 random bytes, base64url: 22 characters of [A-Za-z0-9_-], as the hub's schema wants. */
export function newInstanceId(): string {
  return randomBytes(16).toString('base64url');
}
