// The pass/fail checks of a chaos run: every task created once and done once with the right output, nothing applied twice, outboxes empty.
import { taskPrompt } from './producer';
import type { Snapshot } from './snapshot';
import { expectedOutput } from './workers';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found; on a failure, which tasks (a few examples). */
  detail: string;
}

export interface RunFacts {
  tasks: number;
  drained: boolean;
  drainProblem: string | null;
  outboxes: { workerId: string; files: string[] }[];
  unexpectedExits: { name: string; code: number | null; signal: string | null }[];
}

const EXAMPLES = 5;

function examples(items: string[]): string {
  if (items.length === 0) return '';
  return `${items.slice(0, EXAMPLES).join(', ')}${items.length > EXAMPLES ? `, … (${items.length} in all)` : ''}`;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function check(name: string, offenders: string[], okDetail: string, failDetail: string): Check {
  return offenders.length === 0 ? { name, ok: true, detail: okDetail } : { name, ok: false, detail: `${failDetail}: ${examples(offenders)}` };
}

export function runChecks(snapshot: Snapshot, facts: RunFacts): Check[] {
  const checks: Check[] = [];
  const n = facts.tasks;
  const label = (taskId: string) => `${taskId} (${snapshot.tasks.find((task) => task.id === taskId)?.prompt ?? '?'})`;

  checks.push({ name: 'drained', ok: facts.drained, detail: facts.drained ? `all ${n} tasks finished` : (facts.drainProblem ?? 'the run did not drain') });

  // Created exactly once: the resent batches must not have made a second copy.
  const expected = new Set(Array.from({ length: n }, (_, index) => taskPrompt(index + 1)));
  const byPrompt = countBy(snapshot.tasks, (task) => task.prompt);
  const duplicated = [...byPrompt].filter(([, count]) => count > 1).map(([prompt, count]) => `${prompt} ×${count}`);
  const missing = [...expected].filter((prompt) => !byPrompt.has(prompt));
  const strays = [...byPrompt.keys()].filter((prompt) => !expected.has(prompt)).map((prompt) => prompt.slice(0, 40));
  checks.push(
    check('each task created exactly once', [...duplicated, ...missing.map((p) => `${p} missing`), ...strays.map((p) => `unexpected "${p}"`)], `${snapshot.tasks.length} tasks, ${byPrompt.size} distinct prompts`, `${snapshot.tasks.length} tasks for ${n} prompts`),
  );

  const notDone = snapshot.tasks.filter((task) => task.status !== 'done');
  const statusCounts = [...countBy(snapshot.tasks, (task) => task.status)].map(([status, count]) => `${status} ${count}`).join(', ');
  checks.push(check('every task done', notDone.map((task) => `${task.prompt} ${task.status}`), statusCounts, statusCounts));

  const wrong = snapshot.tasks.filter((task) => task.status === 'done' && (task.output ?? '').trim() !== expectedOutput(task.prompt));
  checks.push(check('right output', wrong.map((task) => `${task.prompt} → ${JSON.stringify((task.output ?? '').slice(0, 40))}`), 'every output is DONE:<prompt>', 'wrong output'));

  const doneAttempts = countBy(
    snapshot.attempts.filter((attempt) => attempt.status === 'done'),
    (attempt) => attempt.taskId,
  );
  const badAttempts = snapshot.tasks.filter((task) => (doneAttempts.get(task.id) ?? 0) !== 1).map((task) => `${label(task.id)} ${doneAttempts.get(task.id) ?? 0} done attempts`);
  checks.push(check('exactly one done attempt per task', badAttempts, `${[...doneAttempts.values()].reduce((a, b) => a + b, 0)} done attempts`, 'tasks without exactly one'));

  const completed = countBy(
    snapshot.events.filter((event) => event.type === 'task_completed'),
    (event) => event.taskId,
  );
  const badCompleted = snapshot.tasks.filter((task) => (completed.get(task.id) ?? 0) !== 1).map((task) => `${label(task.id)} ×${completed.get(task.id) ?? 0}`);
  checks.push(check('exactly one task_completed event per task', badCompleted, `${[...completed.values()].reduce((a, b) => a + b, 0)} task_completed events`, 'tasks without exactly one'));

  const appliedDone = countBy(
    snapshot.reports.filter((report) => report.status === 'done'),
    (report) => report.taskId,
  );
  const doubled = [...appliedDone].filter(([, count]) => count > 1).map(([taskId, count]) => `${label(taskId)} ×${count}`);
  checks.push(check('at most one applied done report per task', doubled, `${snapshot.reports.length} applied reports (${[...appliedDone.values()].reduce((a, b) => a + b, 0)} done)`, 'done reports applied twice'));

  const costDoubled = snapshot.tasks.filter((task) => (snapshot.costRows.get(task.id) ?? 0) > (doneAttempts.get(task.id) ?? 0)).map((task) => `${label(task.id)} ${snapshot.costRows.get(task.id)} cost rows`);
  checks.push(check('cost rows not doubled', costDoubled, `${[...snapshot.costRows.values()].reduce((a, b) => a + b, 0)} cost rows`, 'more cost rows than done attempts'));

  const pending = facts.outboxes.flatMap((outbox) => outbox.files.filter((file) => !file.endsWith('.tmp')).map((file) => `${outbox.workerId}/${file}`));
  const halfWritten = facts.outboxes.flatMap((outbox) => outbox.files.filter((file) => file.endsWith('.tmp')).map((file) => `${outbox.workerId}/${file}`));
  checks.push(
    check('worker outboxes empty', pending, halfWritten.length ? `no pending results (${halfWritten.length} half-written .tmp left by a kill: ${examples(halfWritten)})` : 'no files left', 'results never delivered'),
  );

  checks.push(
    check('no process exited unless killed', facts.unexpectedExits.map((exit) => `${exit.name} (code ${exit.code}, signal ${exit.signal})`), 'none', 'exited on their own'),
  );
  return checks;
}
