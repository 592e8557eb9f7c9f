import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Outbox', () => {
  it('keeps results across instances until removed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-test-'));
    dirs.push(dir);
    const report = { taskId: 't1', attemptId: 'a1', status: 'done' as const, output: 'out', idempotencyKey: 'a1-done' };
    new Outbox(dir).save(report);
    const reopened = new Outbox(dir);
    expect(reopened.pending()).toEqual([report]);
    reopened.remove('a1-done');
    expect(new Outbox(dir).pending()).toEqual([]);
  });
});
