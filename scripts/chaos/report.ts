// Formats a chaos run's figures and checks as the text the command prints.
import type { Check } from './checks';
import type { ChaosOptions } from './options';
import type { ProducerStats } from './producer';
import { STALL_DEFINITION, type InterruptedTask, type KillFigures, type StallFigures } from './stalls';

export interface ReportInput {
  options: ChaosOptions;
  startedAt: number;
  wallMs: number;
  runDir: string;
  kept: boolean;
  producer: ProducerStats;
  stalls: StallFigures | null;
  checks: Check[];
}

const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const offset = (ms: number | null) => (ms === null ? 'never' : `${ms >= 0 ? '+' : ''}${(ms / 1000).toFixed(2)}s`);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(', ') || 'none';

/** One task's story relative to a kill: its attempts and when the hub requeued, reclaimed and completed it. */
export function describeTask(task: InterruptedTask, killedAt: number): string {
  const attempts = task.attempts
    .map((attempt) => `#${attempt.number} ${attempt.agentId}/${(attempt.instanceId ?? '-').slice(0, 8)} ${attempt.status} ${offset(attempt.startedAt - killedAt)}→${attempt.endedAt === null ? 'open' : offset(attempt.endedAt - killedAt)}`)
    .join('; ');
  const requeue = task.requeuedAfterMs === null ? 'not requeued' : `requeued ${offset(task.requeuedAfterMs)} (${task.requeueReason})`;
  return `${task.prompt} [${task.taskId}] held by ${task.heldBy} (${task.stateAtKill}); ${requeue}, claimed again ${offset(task.claimedAgainAfterMs)}, done ${offset(task.completedAfterMs)}; attempts: ${attempts || 'none'}`;
}

function killLine(figure: KillFigures, startedAt: number, tasks: number): string[] {
  const { kill } = figure;
  const what =
    kill.kind === 'hub'
      ? `hub (pid ${kill.pid})`
      : `worker ${kill.target} (pid ${kill.pid}, instance ${(kill.instanceId ?? '?').slice(0, 8)} → ${(kill.newInstanceId ?? '?').slice(0, 8)})`;
  const restarted = kill.restartedAt === null ? 'never back' : `back after ${seconds(kill.restartedAt - kill.killedAt)}`;
  const lines = [`  ${offset(kill.killedAt - startedAt)} kill -9 ${what} at ${kill.finishedAtKill}/${tasks} finished, ${restarted}; ${plural(figure.interrupted.length, 'task')} held then`];
  const slowest = [...figure.interrupted].sort((a, b) => (b.completedAfterMs ?? Infinity) - (a.completedAfterMs ?? Infinity));
  const stalls = slowest.map((task) => task.completedAfterMs);
  if (stalls.length) lines.push(`      done after the kill: max ${seconds(stalls[0] ?? null)}, min ${seconds(stalls.at(-1) ?? null)}; first completion${kill.kind === 'worker' ? ` by ${kill.target}` : ''} ${offset(figure.firstCompletionAfterMs)}`);
  else lines.push(`      first completion${kill.kind === 'worker' ? ` by ${kill.target}` : ''} ${offset(figure.firstCompletionAfterMs)}`);
  for (const task of slowest.slice(0, 3)) lines.push(`      ${describeTask(task, kill.killedAt)}`);
  return lines;
}

export function formatReport(input: ReportInput): string {
  const { options, stalls, producer } = input;
  const lines: string[] = [];
  lines.push('');
  lines.push(`chaos run: ${options.tasks} tasks, ${options.workers} workers × ${options.slots} slots, ${plural(options.hubKills, 'hub kill')}, ${plural(options.workerKills, 'worker kill')} (seed ${options.seed})`);
  lines.push(`run dir: ${input.runDir}${input.kept ? ' (kept: hub data, logs/, outbox/)' : ' (removed)'}`);
  lines.push('');
  lines.push('counts');
  lines.push(`  tasks created   ${producer.created} in ${producer.batches} batches, ${producer.requests} createMany requests (${producer.failedRequests} failed and resent${producer.lastError ? `; last error: ${producer.lastError}` : ''})`);
  if (stalls) {
    lines.push(`  attempts        ${tally(stalls.attemptsByStatus)}`);
    lines.push(`  requeues        ${tally(stalls.requeuesByReason)}`);
    lines.push('');
    lines.push(`drain time        ${seconds(stalls.drainMs)} (first task created → last task completed); whole run ${seconds(input.wallMs)}`);
    if (stalls.drainMs) lines.push(`throughput        ${((options.tasks / stalls.drainMs) * 1000).toFixed(0)} tasks/s over the drain`);
    const longest = stalls.longest;
    lines.push(
      `longest stall     ${longest?.worst ? `${seconds(longest.worst.completedAfterMs)} (${longest.kill.kind === 'hub' ? 'hub' : `worker ${longest.kill.target}`} kill at ${offset(longest.kill.killedAt - input.startedAt)}, task ${longest.worst.prompt})` : 'no task was held at a kill'}`,
    );
    const longestFirst = stalls.kills.reduce<number | null>((max, figure) => (figure.firstCompletionAfterMs === null ? max : Math.max(max ?? 0, figure.firstCompletionAfterMs)), null);
    lines.push(`first completion  ${seconds(longestFirst)} after a kill, at the longest`);
    const gap = stalls.longestRequeueGap;
    lines.push(`requeue gap       ${gap ? `${seconds(gap.gapMs)} (${gap.prompt}: attempt #${gap.staleAttempt.number} stale → #${gap.nextAttempt.number} started)` : 'no stale attempt'}`);
    lines.push('');
    lines.push('kills');
    for (const figure of stalls.kills) lines.push(...killLine(figure, input.startedAt, options.tasks));
    if (stalls.kills.length === 0) lines.push('  none');
    lines.push('');
    lines.push('definitions');
    lines.push(`  ${STALL_DEFINITION}`);
  }
  lines.push('');
  lines.push('checks');
  for (const check of input.checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  const failed = input.checks.filter((check) => !check.ok);
  lines.push('');
  lines.push(failed.length === 0 ? 'result: PASS' : `result: FAIL (${failed.map((check) => check.name).join('; ')})`);
  return lines.join('\n');
}
