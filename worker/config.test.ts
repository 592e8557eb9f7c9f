import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LOAD, helpText, parseWorkerConfig, splitCommandLine, WorkerConfigError } from './config';

const required = ['--hub', 'http://127.0.0.1:3000', '--token', 'm3shd_ag_x', '--id', 'rex'];

describe('worker settings', () => {
  it('reads flags over MESH_* variables, with defaults', () => {
    const config = parseWorkerConfig(['--id', 'rex', '--slots=3', '--capabilities', 'research, code'], {
      MESH_HUB: 'http://hub:3000',
      MESH_TOKEN: 'm3shd_ag_token',
      MESH_SLOTS: '9',
      MESH_RUNTIME: 'anthropic',
    });
    if (config === 'help') throw new Error('unexpected help');
    expect(config).toMatchObject({ hub: 'http://hub:3000', token: 'm3shd_ag_token', id: 'rex', name: 'rex', slots: 3, runtime: 'anthropic', capabilities: ['research', 'code'] });
    expect(config.outboxDir).toContain('rex');
  });

  it.each([
    [['--id', 'Bad Id'], '--id must match'],
    [['--slots', '0'], '--slots must be positive'],
    [['--runtime', 'gpt'], '--runtime must be one of'],
    [['--runtime', 'command'], '--runtime command needs --command'],
    [['--nope', '1'], 'unknown option --nope'],
  ])('refuses %j with a message naming the flag', (extra, message) => {
    expect(() => parseWorkerConfig([...required, ...extra], {})).toThrow(WorkerConfigError);
    expect(() => parseWorkerConfig([...required, ...extra], {})).toThrow(message);
  });

  it('defaults --max-load to 4 × the CPU cores and says so in --help', () => {
    const config = parseWorkerConfig(required, {});
    if (config === 'help') throw new Error('unexpected help');
    expect(DEFAULT_MAX_LOAD).toBe(4 * os.cpus().length);
    expect(config.maxLoad).toBe(DEFAULT_MAX_LOAD);
    expect(helpText()).toContain(`(default ${DEFAULT_MAX_LOAD} = 4 × ${os.cpus().length} cores)`);
    const lowered = parseWorkerConfig([...required, '--max-load', '2.5'], {});
    expect(lowered !== 'help' && lowered.maxLoad).toBe(2.5);
  });

  it('names a missing required setting and its variable', () => {
    expect(() => parseWorkerConfig(['--id', 'rex'], {})).toThrow('--hub (or MESH_HUB) is required');
  });

  it('documents every flag in --help', () => {
    expect(parseWorkerConfig(['--help'], {})).toBe('help');
    for (const flag of ['--hub', '--token', '--id', '--name', '--capabilities', '--slots', '--runtime', '--command', '--model', '--max-load', '--heartbeat-ms', '--grace-ms', '--outbox-dir']) {
      expect(helpText()).toContain(flag);
    }
  });

  it('splits a command line with quotes and no shell', () => {
    expect(splitCommandLine(`sh -c 'echo hi; sleep 1' "a b"`)).toEqual(['sh', '-c', 'echo hi; sleep 1', 'a b']);
    expect(() => splitCommandLine('   ')).toThrow(WorkerConfigError);
  });
});
