// Task dependencies on SQLite (spec section 15), the statements the task repository runs inside its
// own transactions: resolving a create call's parents, the cycle check (a recursive CTE over the
// stored edges and the proposed ones, run before anything is written), the unfinished-parent
// counter the dispatch pass reads (tasks.unfinished_parents), releasing children when a parent is
// done, cancelling waiting descendants when one fails or is cancelled, and re-arming them when it is
// retried. Nothing here opens a transaction or emits an event: the repository does both.
import { injectParentOutputs, type ParentOutput } from '@/lib/task-graph';
import type { DependencyRef } from '@/lib/task-dependencies';
import { badInput, conflict } from '../../errors';
import type { WaitingParent } from '../../tasks/task-repository';
import { sqlTime, type SqliteConnection } from './connection';

/** One task of a create call, with its id already chosen (a replayed create keeps its first task's). */
export interface BatchSlot {
  id: string;
  title: string;
  /** Created by an earlier call with the same client request id: nothing of it is written again. */
  replayed: boolean;
  dependsOn: readonly DependencyRef[];
}

export interface ParentPlan {
  parentIds: string[];
  unfinished: number;
  /** All parents were done already: their outputs, for the prompt at insert. */
  doneParents: ParentOutput[] | null;
}


/** Statuses after which a parent can never become done (a child of it could only wait forever). */
const DEAD_END = new Set(['failed', 'cancelled', 'suspended']);

export class SqliteTaskGraph {
  constructor(private readonly sql: SqliteConnection) {}

  /**
   * Resolves every slot's parents: ids must name existing tasks that can still finish, indexes a
   * task of the same call. Refuses a cycle among the call's tasks (only a forward or self index can
   * close one: stored tasks never have a new task as an ancestor, so plain creates skip the CTE).
   * `field` names the list in error messages (`tasks`, `steps`; none for a single task).
   */
  planBatch(slots: readonly BatchSlot[], field: string | null): (ParentPlan | null)[] {
    const at = (index: number) => (field === null ? '' : `${field}[${index}].`);
    const named = (index: number) => (field === null ? '' : ` (${field}[${index}])`);
    const proposed: [string, string][] = [];
    const closesLoop: number[] = [];
    const plans = slots.map((slot, index) => {
      if (slot.replayed || slot.dependsOn.length === 0) return null;
      const parentIds: string[] = [];
      let unfinished = 0;
      const doneParents: ParentOutput[] = [];
      slot.dependsOn.forEach((ref, position) => {
        const where = `${at(index)}dependsOn[${position}]`;
        if (typeof ref === 'number') {
          const parent = slots[ref];
          if (!parent) throw badInput(where, `index ${ref} is not a task of this call (0–${slots.length - 1})`);
          if (ref >= index) closesLoop.push(index);
          parentIds.push(parent.id);
          if (!parent.replayed) {
            unfinished += 1;
            proposed.push([parent.id, slot.id]);
            return;
          }
          ref = parent.id;
        } else {
          parentIds.push(ref);
        }
        const row = this.sql.statement('SELECT id, title, status, output FROM tasks WHERE id = ?').get(ref) as
          | { id: string; title: string; status: string; output: string | null }
          | undefined;
        if (!row) throw badInput(where, `task ${ref} not found`);
        if (DEAD_END.has(row.status)) throw badInput(where, `task "${row.title}" (${row.id}) is ${row.status}; retry it before depending on it`);
        if (row.status === 'done') doneParents.push({ id: row.id, title: row.title, output: row.output });
        else unfinished += 1;
      });
      return { parentIds, unfinished, doneParents: unfinished === 0 ? doneParents : null };
    });
    for (const index of closesLoop) {
      if (this.wouldCycle(slots[index]!.id, proposed)) {
        throw badInput(`${at(index)}dependsOn`, `task "${slots[index]!.title}"${named(index)} would depend on itself: the dependencies form a cycle`);
      }
    }
    return plans;
  }

  /** Walks the ancestors of `taskId` over the stored edges and the proposed ones: does it reach itself? */
  private wouldCycle(taskId: string, proposed: [string, string][]): boolean {
    const hit = this.sql
      .statement(
        `WITH RECURSIVE
           proposed(parent, child) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)),
           ancestors(id) AS (
             SELECT parent FROM proposed WHERE child = ?
             UNION
             SELECT d.parent_task_id FROM task_deps d JOIN ancestors a ON d.child_task_id = a.id
             UNION
             SELECT p.parent FROM proposed p JOIN ancestors a ON p.child = a.id
           )
         SELECT 1 FROM ancestors WHERE id = ? LIMIT 1`,
      )
      .get(JSON.stringify(proposed), taskId, taskId);
    return hit !== undefined;
  }

  insertEdges(childId: string, parentIds: readonly string[]): void {
    const insert = this.sql.statement('INSERT INTO task_deps (parent_task_id, child_task_id) VALUES (?, ?)');
    for (const parentId of parentIds) insert.run(parentId, childId);
  }

  /**
   * A parent is done: each waiting child counts one unfinished parent less; those at zero get
   * their parents' outputs in the prompt. Answers the children that became ready.
   */
  releaseChildren(parentId: string, now: Date): { id: string; parentIds: string[] }[] {
    const time = sqlTime(now);
    const touched = this.sql
      .statement(
        `UPDATE tasks SET unfinished_parents = unfinished_parents - 1, updated_at = ?
         WHERE id IN (SELECT child_task_id FROM task_deps WHERE parent_task_id = ?) AND status = 'queued' AND unfinished_parents > 0
         RETURNING id, unfinished_parents AS unfinished`,
      )
      .all(time, parentId) as { id: string; unfinished: number }[];
    const ready: { id: string; parentIds: string[] }[] = [];
    for (const child of touched) {
      if (child.unfinished !== 0) continue;
      const parents = this.parentOutputs(child.id);
      const prompt = this.sql.statement('SELECT prompt FROM tasks WHERE id = ?').pluck().get(child.id) as string;
      this.sql.statement('UPDATE tasks SET prompt = ? WHERE id = ?').run(injectParentOutputs(prompt, parents), child.id);
      ready.push({ id: child.id, parentIds: parents.map((parent) => parent.id) });
    }
    return ready;
  }

  private parentOutputs(childId: string): ParentOutput[] {
    return this.sql
      .statement(
        `SELECT p.id, p.title, p.output FROM task_deps d JOIN tasks p ON p.id = d.parent_task_id
         WHERE d.child_task_id = ? ORDER BY p.created_at, p.id`,
      )
      .all(childId) as ParentOutput[];
  }

  /**
   * A task failed for good or was cancelled: every descendant still waiting is cancelled, naming
   * it (blocked_by_task_id, and the error text). Answers the cancelled ids.
   */
  cancelWaitingDescendants(root: { id: string; title: string }, verb: 'failed' | 'cancelled', now: Date): string[] {
    const time = sqlTime(now);
    const ids = this.sql
      .statement(
        `WITH RECURSIVE descendants(id) AS (
           SELECT child_task_id FROM task_deps WHERE parent_task_id = ?
           UNION
           SELECT d.child_task_id FROM task_deps d JOIN descendants x ON d.parent_task_id = x.id
         )
         SELECT t.id FROM tasks t JOIN descendants x ON x.id = t.id WHERE t.status = 'queued' AND t.unfinished_parents > 0 ORDER BY t.id`,
      )
      .pluck()
      .all(root.id) as string[];
    const cancel = this.sql.statement(
      "UPDATE tasks SET status = 'cancelled', blocked_by_task_id = ?, error = ?, completed_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'",
    );
    const reason = `cancelled: it depends on task "${root.title}" (${root.id}), which ${verb}`;
    return ids.filter((id) => cancel.run(root.id, reason, time, time, id).changes > 0);
  }

  /** Refuses to queue a task again while one of its parents can never finish. */
  assertParentsCanFinish(task: { id: string; title: string }): void {
    const dead = this.sql
      .statement(
        `SELECT p.id, p.title, p.status FROM task_deps d JOIN tasks p ON p.id = d.parent_task_id
         WHERE d.child_task_id = ? AND p.status IN ('failed', 'cancelled', 'suspended') ORDER BY p.id LIMIT 1`,
      )
      .get(task.id) as WaitingParent | undefined;
    if (dead) throw conflict(`task "${task.title}" (${task.id}) depends on task "${dead.title}" (${dead.id}), which is ${dead.status}: retry that one first`);
  }

  countUnfinishedParents(taskId: string): number {
    return (
      this.sql
        .statement("SELECT COUNT(*) FROM task_deps d JOIN tasks p ON p.id = d.parent_task_id WHERE d.child_task_id = ? AND p.status <> 'done'")
        .pluck()
        .get(taskId) as number
    );
  }

  /**
   * The root was retried: the descendants its failure cancelled wait again, parents before
   * children. One that also has another parent which can no longer finish stays cancelled, now
   * naming that parent (whose retry re-arms it). Answers the re-armed ids.
   */
  rearmDescendants(rootId: string, now: Date): string[] {
    const time = sqlTime(now);
    const pending = new Set(this.sql.statement('SELECT id FROM tasks WHERE blocked_by_task_id = ? AND status = ?').pluck().all(rootId, 'cancelled') as string[]);
    const parentsOf = this.sql.statement('SELECT p.id, p.title, p.status FROM task_deps d JOIN tasks p ON p.id = d.parent_task_id WHERE d.child_task_id = ?');
    const rearmed: string[] = [];
    while (pending.size > 0) {
      let progressed = false;
      for (const id of [...pending]) {
        const parents = parentsOf.all(id) as WaitingParent[];
        if (parents.some((parent) => pending.has(parent.id))) continue;
        pending.delete(id);
        progressed = true;
        const dead = parents.find((parent) => DEAD_END.has(parent.status));
        if (dead) {
          this.sql.statement('UPDATE tasks SET blocked_by_task_id = ?, updated_at = ? WHERE id = ?').run(dead.id, time, id);
          continue;
        }
        const unfinished = parents.filter((parent) => parent.status !== 'done').length;
        this.sql
          .statement(
            `UPDATE tasks SET status = 'queued', unfinished_parents = ?, blocked_by_task_id = NULL, error = NULL, completed_at = NULL, attempts = 0,
               assigned_to = NULL, assigned_at = NULL, current_attempt_id = NULL, updated_at = ? WHERE id = ?`,
          )
          .run(unfinished, time, id);
        rearmed.push(id);
      }
      if (!progressed) break;
    }
    return rearmed;
  }

  /** A handed-off task's children wait for its continuation instead. */
  moveChildren(fromTaskId: string, toTaskId: string): void {
    this.sql.statement('UPDATE task_deps SET parent_task_id = ? WHERE parent_task_id = ?').run(toTaskId, fromTaskId);
  }

  /** The parents not done yet of each of the tasks (why they wait). */
  unfinishedParentsOf(taskIds: readonly string[]): Map<string, WaitingParent[]> {
    const rows = this.sql
      .statement(
        `SELECT d.child_task_id AS childId, p.id, p.title, p.status FROM task_deps d JOIN tasks p ON p.id = d.parent_task_id
         WHERE d.child_task_id IN (SELECT value FROM json_each(?)) AND p.status <> 'done' ORDER BY p.created_at, p.id`,
      )
      .all(JSON.stringify(taskIds)) as (WaitingParent & { childId: string })[];
    const result = new Map<string, WaitingParent[]>();
    for (const { childId, ...parent } of rows) result.set(childId, [...(result.get(childId) ?? []), parent]);
    return result;
  }
}
