// The running hub, for code in Next's bundles (next-auth's route). Next loads its own copies
// of modules, so the custom server publishes its hub on globalThis; this module imports only
// types, so Next's bundle does not pull in the database layer.
import type { Hub } from './hub';

const ACTIVE_HUB_KEY = Symbol.for('m3shd.activeHub');
type HubHolder = { [ACTIVE_HUB_KEY]?: Hub };

export function setActiveHub(hub: Hub | undefined): void {
  (globalThis as HubHolder)[ACTIVE_HUB_KEY] = hub;
}

export function getActiveHub(): Hub {
  const hub = (globalThis as HubHolder)[ACTIVE_HUB_KEY];
  if (!hub) throw new Error('the hub is not running in this process (start it with server.ts)');
  return hub;
}
