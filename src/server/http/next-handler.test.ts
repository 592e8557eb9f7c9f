// The hub hands Next the config its build resolved, but only a build made in this folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtNextConfig } from './next-handler';

let dir: string;
const save = (content: unknown) => {
  fs.mkdirSync(path.join(dir, '.next'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.next', 'required-server-files.json'), typeof content === 'string' ? content : JSON.stringify(content));
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'next-handler-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('builtNextConfig', () => {
  it('returns the config of a build made here', () => {
    save({ version: 1, appDir: dir, config: { distDir: '.next', poweredByHeader: false } });
    expect(builtNextConfig(dir)).toEqual({ distDir: '.next', poweredByHeader: false });
  });

  it('is null without a build, for a build made elsewhere, or for an unreadable file', () => {
    expect(builtNextConfig(dir)).toBeNull();
    save({ version: 1, appDir: path.join(dir, 'elsewhere'), config: { distDir: '.next' } });
    expect(builtNextConfig(dir)).toBeNull();
    save('{');
    expect(builtNextConfig(dir)).toBeNull();
  });
});
