// Reads what the checks need from the hub's SQLite file, opened read-only after every process has stopped.
import Database from 'better-sqlite3';

export interface TaskRow {
  id: string;
  prompt: string;
  status: string;
  output: string | null;
  attempts: number;
  createdAt: number;
  completedAt: number | null;
}

export interface AttemptRow {
  id: string;
  taskId: string;
  agentId: string;
  instanceId: string | null;
  number: number;
  status: string;
  startedAt: number;
  endedAt: number | null;
}

export interface TaskEventRow {
  id: number;
  type: string;
  ts: number;
  taskId: string;
  assignedTo: string | null;
  attemptId: string | null;
  reason: string | null;
}

export interface Snapshot {
  tasks: TaskRow[];
  attempts: AttemptRow[];
  /** task_* events, oldest first. */
  events: TaskEventRow[];
  /** Applied reports (idempotency_keys, scope tasks.report): the task and the status each answered. */
  reports: { taskId: string; status: string }[];
  /** cost_log rows per task id. */
  costRows: Map<string, number>;
}

/** Instants are ISO strings (sqlTime) or, if Prisma wrote them, epoch milliseconds. */
export function toMillis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? null : parsed;
}

const TRACKED_EVENTS = ['task_created', 'task_assigned', 'task_claimed', 'task_requeued', 'task_completed', 'task_failed', 'task_cancelled', 'task_handoff'];

export function readSnapshot(databaseFile: string): Snapshot {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const tasks = (db.prepare('SELECT id, prompt, status, output, attempts, created_at, completed_at FROM tasks').all() as Record<string, unknown>[]).map(
      (row): TaskRow => ({
        id: String(row.id),
        prompt: String(row.prompt),
        status: String(row.status),
        output: row.output === null ? null : String(row.output),
        attempts: Number(row.attempts),
        createdAt: toMillis(row.created_at) ?? 0,
        completedAt: toMillis(row.completed_at),
      }),
    );
    const attempts = (db.prepare('SELECT id, task_id, agent_id, instance_id, number, status, started_at, ended_at FROM task_attempts ORDER BY task_id, number').all() as Record<string, unknown>[]).map(
      (row): AttemptRow => ({
        id: String(row.id),
        taskId: String(row.task_id),
        agentId: String(row.agent_id),
        instanceId: row.instance_id === null ? null : String(row.instance_id),
        number: Number(row.number),
        status: String(row.status),
        startedAt: toMillis(row.started_at) ?? 0,
        endedAt: toMillis(row.ended_at),
      }),
    );
    const events = (
      db.prepare('SELECT id, type, ts, payload FROM event_log WHERE type IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(TRACKED_EVENTS)) as Record<string, unknown>[]
    ).map(
      (row): TaskEventRow => {
        const payload = JSON.parse(String(row.payload)) as Record<string, unknown>;
        return {
          id: Number(row.id),
          type: String(row.type),
          ts: toMillis(row.ts) ?? 0,
          taskId: String(payload.taskId ?? ''),
          assignedTo: typeof payload.assignedTo === 'string' ? payload.assignedTo : null,
          attemptId: typeof payload.attemptId === 'string' ? payload.attemptId : null,
          reason: typeof payload.reason === 'string' ? payload.reason : null,
        };
      },
    );
    const reports = (db.prepare("SELECT response FROM idempotency_keys WHERE scope = 'tasks.report'").all() as { response: string }[]).map((row) => {
      const answer = JSON.parse(row.response) as { taskId?: string; status?: string };
      return { taskId: String(answer.taskId ?? ''), status: String(answer.status ?? '') };
    });
    const costRows = new Map<string, number>();
    for (const row of db.prepare('SELECT task_id, COUNT(*) AS n FROM cost_log GROUP BY task_id').all() as { task_id: string | null; n: number }[]) {
      costRows.set(String(row.task_id), Number(row.n));
    }
    return { tasks, attempts, events, reports, costRows };
  } finally {
    db.close();
  }
}
