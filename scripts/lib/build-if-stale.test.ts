// When `npm start` rebuilds: the server bundle is stale when a file esbuild read changed or
// vanished after its build started, or when dist/ is missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverBuildIsStale } from './build-if-stale.mjs';

let root: string;
const write = (file: string, text = '', mtimeMs = Date.now() - 60_000) => {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  fs.utimesSync(target, mtimeMs / 1000, mtimeMs / 1000);
};
const builtAt = Date.now() - 30_000;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-if-stale-'));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build-server.mjs', 'server.ts', 'src/server/hub.ts']) write(file);
  write('dist/server.js');
  write('dist/build-inputs.json', JSON.stringify({ startedAt: builtAt, inputs: ['server.ts', 'src/server/hub.ts'] }));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('serverBuildIsStale', () => {
  it('is fresh when nothing changed since the build started', () => {
    expect(serverBuildIsStale(root)).toBe(false);
  });

  it('is stale when a source changed', () => {
    write('src/server/hub.ts', 'changed', Date.now());
    expect(serverBuildIsStale(root)).toBe(true);
  });

  it('is stale when package.json or the build script changed', () => {
    write('scripts/build-server.mjs', 'changed', Date.now());
    expect(serverBuildIsStale(root)).toBe(true);
  });

  it('is stale when a source vanished', () => {
    fs.rmSync(path.join(root, 'src/server/hub.ts'));
    expect(serverBuildIsStale(root)).toBe(true);
  });

  it('is stale without a build or with an unreadable manifest', () => {
    fs.rmSync(path.join(root, 'dist/server.js'));
    expect(serverBuildIsStale(root)).toBe(true);
    write('dist/server.js');
    write('dist/build-inputs.json', 'not json');
    expect(serverBuildIsStale(root)).toBe(true);
  });

  it('ignores files the bundle was not made from', () => {
    write('src/app/page.tsx', 'changed', Date.now());
    expect(serverBuildIsStale(root)).toBe(false);
  });
});
