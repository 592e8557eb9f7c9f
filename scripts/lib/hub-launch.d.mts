// Types for hub-launch.mjs (plain JavaScript so that `npm start` needs no TypeScript runner).
export const HUB_ENTRY: string;
export const HUB_NODE_FLAGS: readonly string[];
export const HUB_ENV: Readonly<Record<string, string>>;
