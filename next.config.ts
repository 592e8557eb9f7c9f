// Next.js configuration. Security headers are set by the custom server (server.ts) on every
// response, pages and API alike, so they are not repeated here.
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // The hub's server-only modules (Prisma, better-sqlite3) are reached through the hub
  // accessor on globalThis, never bundled into pages.
  serverExternalPackages: ['better-sqlite3'],
};

export default nextConfig;
