// The one clock. Services, sweepers, TTLs and rate limits take it injected, so tests move
// time instead of sleeping.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
