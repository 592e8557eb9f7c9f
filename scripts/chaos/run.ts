// One chaos run: hub and workers as processes, tasks created under fire, kills on schedule, the drain, then the checks from the database.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHubClient } from '../../src/lib/hub-client';
import { runChecks, type Check } from './checks';
import { ChaosHub } from './hub';
import type { ChaosOptions } from './options';
import { ProcessGroup } from './processes';
import { TaskProducer, type ProducerStats } from './producer';
import { readProgress, type Progress } from './progress';
import { formatReport } from './report';
import { planKills, seededRandom } from './schedule';
import { readSnapshot } from './snapshot';
import { computeStalls, type KillRecord, type StallFigures } from './stalls';
import { ChaosWorker, workerCommand } from './workers';

export interface ChaosResult {
  ok: boolean;
  checks: Check[];
  stalls: StallFigures | null;
  kills: KillRecord[];
  producer: ProducerStats;
  wallMs: number;
  runDir: string;
  report: string;
}

export interface RunContext {
  /** The processes of the run; main.ts passes its own so a signal handler can kill them. */
  group?: ProcessGroup;
  log?: (line: string) => void;
  /** Told the run directory (hub data, logs, outboxes) as soon as it exists. */
  onRunDir?: (runDir: string) => void;
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaos(options: ChaosOptions, context: RunContext = {}): Promise<ChaosResult> {
  const group = context.group ?? new ProcessGroup();
  const startedAt = Date.now();
  const log = (line: string) => {
    if (options.verbose) (context.log ?? console.log)(`[chaos ${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)}s] ${line}`);
  };
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm3shd-chaos-'));
  context.onRunDir?.(runDir);
  const logDir = path.join(runDir, 'logs');
  fs.mkdirSync(logDir);
  const masterToken = `m3shd_chaos_${randomBytes(24).toString('base64url')}`;
  const hub = new ChaosHub(group, { port: options.port, dataDir: path.join(runDir, 'hub'), logDir, masterToken });
  const workers: ChaosWorker[] = [];
  const kills: KillRecord[] = [];
  const abort = new AbortController();
  let producer: TaskProducer | null = null;
  let producing: Promise<void> = Promise.resolve();
  try {
    log(`run dir ${runDir}; starting the hub on ${hub.url}`);
    await hub.start();
    const client = createHubClient({ hubUrl: hub.url, token: masterToken });
    const command = workerCommand(options.taskMs);
    for (let index = 1; index <= options.workers; index += 1) {
      const id = `chaos-w${index}`;
      const { token } = await client.tokens.create.mutate({ agentId: id, preset: 'worker', label: 'chaos' });
      workers.push(
        new ChaosWorker(group, {
          id,
          token,
          hubUrl: hub.url,
          outboxDir: path.join(runDir, 'outbox', id),
          logDir,
          slots: options.slots,
          command,
          heartbeatMs: options.heartbeatMs,
          claimIntervalMs: options.claimIntervalMs,
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.start()));
    log(`${workers.length} workers registered (command: ${command})`);

    let progress: Progress | null = null;
    let finished = 0;
    producer = new TaskProducer(client, { tasks: options.tasks, batchSize: options.batchSize, backlog: options.backlog }, () => finished);
    const taskProducer = producer;
    producing = producer.run(abort.signal).then(() => log(`all ${options.tasks} tasks created (${taskProducer.stats.failedRequests} createMany requests failed and were resent)`));
    let producerDone = false;
    void producing.then(() => (producerDone = true));

    const plan = planKills(options.hubKills, options.workerKills);
    const planned = plan.length;
    const random = seededRandom(options.seed);
    let lastAdvanceAt = Date.now();
    let lastBackAt = 0;
    let drainProblem: string | null = null;
    const deadline = startedAt + options.timeoutSeconds * 1000;

    for (;;) {
      progress = (await readProgress(client)) ?? progress;
      if (progress && progress.finished > finished) {
        finished = progress.finished;
        lastAdvanceAt = Date.now();
      }
      if (producerDone && finished >= options.tasks) break;
      if (Date.now() > deadline) {
        drainProblem = `timed out after ${options.timeoutSeconds} s with ${finished}/${options.tasks} finished`;
        break;
      }
      if (Date.now() - lastAdvanceAt > options.stallSeconds * 1000) {
        drainProblem = `no task finished for ${options.stallSeconds} s (${finished}/${options.tasks} finished, ${producer.stats.created} created)`;
        break;
      }
      const next = plan[0];
      if (next && finished >= next.atFraction * options.tasks && Date.now() - lastBackAt >= options.minGapSeconds * 1000) {
        plan.shift();
        if (next.kind === 'hub') {
          const pid = hub.pid;
          const killedAt = await hub.kill9();
          log(`kill -9 hub (pid ${pid}) at ${finished}/${options.tasks} finished`);
          await sleep(options.restartDelayMs);
          await hub.start();
          const restartedAt = Date.now();
          log(`hub restarted (pid ${hub.pid}) in ${((restartedAt - killedAt) / 1000).toFixed(1)} s`);
          kills.push({ kind: 'hub', target: 'hub', killedAt, restartedAt, pid, instanceId: null, newInstanceId: null, finishedAtKill: finished });
        } else {
          const worker = workers[Math.floor(random() * workers.length)]!;
          const pid = worker.pid;
          const instanceId = worker.instanceId;
          const killedAt = await worker.kill9();
          log(`kill -9 worker ${worker.id} (pid ${pid}) at ${finished}/${options.tasks} finished`);
          const record: KillRecord = { kind: 'worker', target: worker.id, killedAt, restartedAt: null, pid, instanceId, newInstanceId: null, finishedAtKill: finished };
          kills.push(record);
          try {
            await worker.start();
            record.restartedAt = Date.now();
            record.newInstanceId = worker.instanceId;
            log(`worker ${worker.id} restarted (pid ${worker.pid}) in ${((record.restartedAt - killedAt) / 1000).toFixed(1)} s`);
          } catch (error) {
            log(`worker ${worker.id} did not come back: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        lastBackAt = Date.now();
        continue;
      }
      await sleep(POLL_MS);
    }
    const drained = drainProblem === null;
    log(drained ? `drained: ${finished}/${options.tasks} finished` : `stopping: ${drainProblem}`);
    abort.abort();
    await producing;

    // Everything stops before the database is read: workers first (graceful: outbox emptied, goOffline), then the hub.
    await Promise.all(workers.map((worker) => worker.stop()));
    await hub.stop();
    const unexpectedExits = group.unexpectedExits.map((exit) => ({ name: exit.name, code: exit.status.code, signal: exit.status.signal }));
    const snapshot = readSnapshot(hub.databaseFile);
    const checks = runChecks(snapshot, {
      tasks: options.tasks,
      drained,
      drainProblem,
      outboxes: workers.map((worker) => ({ workerId: worker.id, files: worker.outboxFiles() })),
      unexpectedExits,
    });
    checks.push({
      name: 'every planned kill happened',
      ok: kills.length === planned && kills.every((kill) => kill.restartedAt !== null),
      detail: `${kills.length} of ${planned} kills, ${kills.filter((kill) => kill.restartedAt !== null).length} restarted${kills.length < planned ? ' (the run drained first: more tasks or a smaller --min-gap-s)' : ''}`,
    });
    const stalls = computeStalls(snapshot, kills);
    const ok = checks.every((check) => check.ok);
    const kept = options.keep || !ok;
    const wallMs = Date.now() - startedAt;
    const report = formatReport({ options, startedAt, wallMs, runDir, kept, producer: producer.stats, stalls, checks });
    if (!kept) fs.rmSync(runDir, { recursive: true, force: true });
    return { ok, checks, stalls, kills, producer: producer.stats, wallMs, runDir, report };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const checks: Check[] = [{ name: 'harness ran to the end', ok: false, detail: message }];
    const stats = producer?.stats ?? { batches: 0, requests: 0, failedRequests: 0, resentBatches: 0, lastError: null, created: 0, firstCreatedAt: null, lastCreatedAt: null };
    const wallMs = Date.now() - startedAt;
    const report = formatReport({ options, startedAt, wallMs, runDir, kept: true, producer: stats, stalls: null, checks });
    return { ok: false, checks, stalls: null, kills, producer: stats, wallMs, runDir, report };
  } finally {
    abort.abort();
    await producing.catch(() => undefined);
    if (context.group) group.killAll();
    else group.dispose();
  }
}
