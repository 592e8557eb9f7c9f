// Types for build-if-stale.mjs (plain JavaScript so that `npm start` needs no TypeScript runner).
export function webBuildIsStale(projectRoot: string): boolean;
export function serverBuildIsStale(projectRoot: string): boolean;
export function buildIsStale(projectRoot: string): boolean;
export function buildServerIfStale(projectRoot: string): void;
export function buildIfStale(projectRoot: string): void;
