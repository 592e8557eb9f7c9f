// The project root is found the same way from server.ts and from the bundle in dist/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from './project-root';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('findProjectRoot', () => {
  it('finds the folder with package.json and prisma/ from this module, the root and dist/', () => {
    expect(findProjectRoot()).toBe(root);
    expect(findProjectRoot(root)).toBe(root);
    expect(findProjectRoot(path.join(root, 'dist', 'chunks'))).toBe(root);
  });

  it('fails clearly outside a project', () => {
    expect(() => findProjectRoot(path.parse(root).root)).toThrow(/no project root/);
  });
});
