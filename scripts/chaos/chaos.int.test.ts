// The chaos harness, CI-sized: 300 tasks, the hub kill -9'd once and a worker twice, every check passing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from './options';
import { runChaos } from './run';
import { freePort } from '../../src/testing/free-port';


describe('chaos: kill -9 the hub and workers under load', () => {
  it('300 tasks through 1 hub kill and 2 worker kills: each done exactly once, nothing applied twice, outboxes empty', { timeout: 115_000 }, async () => {
    const result = await runChaos({
      ...DEFAULT_OPTIONS,
      tasks: 300,
      hubKills: 1,
      workerKills: 2,
      workers: 3,
      port: await freePort(),
      seed: 7,
      // Shorter than the worker's defaults (15 s, 10 s) so the recovery waits fit a CI test.
      heartbeatMs: 2_000,
      claimIntervalMs: 2_000,
      // 300 tasks drain in seconds: the three kills must not wait for each other's recovery.
      minGapSeconds: 0,
      timeoutSeconds: 90,
      stallSeconds: 45,
      verbose: false,
    });
    const failed = result.checks.filter((check) => !check.ok);
    expect(failed, result.report).toEqual([]);
    expect(result.kills.map((kill) => kill.kind).sort()).toEqual(['hub', 'worker', 'worker']);
    expect(result.kills.every((kill) => kill.restartedAt !== null), result.report).toBe(true);
    expect(result.producer.created).toBe(300);
  });
});
