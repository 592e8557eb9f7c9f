// The Docker image runs the hub exactly as `npm start` and the benchmarks do: same node flags,
// same environment, the compiled entry point, and no TypeScript runner.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HUB_ENTRY, HUB_ENV, HUB_NODE_FLAGS } from './hub-launch.mjs';

const dockerfile = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'Dockerfile'), 'utf8');
/** The runtime stage: everything after the last FROM. */
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

function instruction(name: string): string[] {
  return runtimeStage
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith(`${name} `))
    .map((line) => line.slice(name.length + 1).trim());
}

describe('the production hub command', () => {
  it('is the same in the Dockerfile as in hub-launch.mjs', () => {
    const commands = instruction('CMD');
    expect(commands).toHaveLength(1);
    expect(JSON.parse(commands[0]!)).toEqual(['node', ...HUB_NODE_FLAGS, HUB_ENTRY]);
  });

  it('has the same environment in the Dockerfile', () => {
    const assignments = instruction('ENV').flatMap((line) => line.split(/\s+/));
    for (const [name, value] of Object.entries(HUB_ENV)) expect(assignments).toContain(`${name}=${value}`);
  });

  it('runs compiled JavaScript only', () => {
    expect(HUB_ENTRY).toMatch(/^dist\/.+\.js$/);
    expect(runtimeStage).not.toMatch(/\btsx\b/);
  });
});
