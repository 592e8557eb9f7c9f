// The models the mesh uses when nobody names one: current models of the installed
// @anthropic-ai/sdk (its `Model` list), never one on its deprecated list (the SDK warns on every
// call to those). src/lib/models.test.ts checks both against the SDK, and that the price table
// (src/lib/prices.ts) prices them, so an SDK upgrade that retires one fails a test.

/** The worker's default for the anthropic runtime (`--model` / MESH_MODEL). */
export const DEFAULT_WORKER_MODEL = 'claude-sonnet-5-5';

/** The hub's own calls (the chat's `auto` and `summary`), MESH_HUB_MODEL: small and fast. */
export const DEFAULT_HUB_MODEL = 'claude-haiku-5-5';
