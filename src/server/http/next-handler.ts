// Next's request handler for the custom server (pages, next-auth), loaded only when the UI is on.
import fs from 'node:fs';
import path from 'node:path';
import type { NextRequestHandler } from './request-handler';

interface RequiredServerFiles {
  appDir?: string;
  config?: Record<string, unknown>;
}

/**
 * The Next config `next build` resolved and saved in .next/required-server-files.json, if that
 * build was made in this folder. Null when there is none: Next then loads next.config.ts itself.
 */
export function builtNextConfig(dir: string): Record<string, unknown> | null {
  let saved: RequiredServerFiles;
  try {
    saved = JSON.parse(fs.readFileSync(path.join(dir, '.next', 'required-server-files.json'), 'utf8')) as RequiredServerFiles;
  } catch {
    return null;
  }
  if (!saved.config || typeof saved.config !== 'object' || !saved.appDir || path.resolve(saved.appDir) !== path.resolve(dir)) return null;
  return saved.config;
}

export async function loadNextHandler(options: { dir: string; hostname: string; port: number }): Promise<NextRequestHandler> {
  // Loading next.config.ts at run time means transpiling it, which loads Next's native SWC
  // compiler (a 100 MB library, ~25 MB of it resident, plus its threads) into the hub for good.
  // Next's own standalone server (`output: 'standalone'`) hands it the build's resolved config
  // through this variable instead; we do the same. Without a build, Next fails as before.
  const config = builtNextConfig(options.dir);
  if (config) process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(config);
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: options.dir, hostname: options.hostname, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (request, response) => handle(request, response);
}
