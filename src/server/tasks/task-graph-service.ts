// Task graphs from the operator's side (spec section 15): pipelines (create, get, list with each
// step's state) and a task's parents and children for its detail page. Creating goes through the
// task repository (one transaction with its events), reads use Prisma.
import type { z } from 'zod';
import type { pipelinesCreateInput, pipelinesListInput } from '@/lib/task-graph';
import { canTouchTask, principalLabel, seesWholeMesh, type Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { notFound } from '../errors';
import type { TaskService } from '../services/tasks/task-service';
import type { TaskRepository } from './task-repository';

export interface TaskGraphServiceDeps {
  db: Database;
  repository: TaskRepository;
  tasks: TaskService;
  requestDispatch: () => void;
}

export interface GraphTask {
  id: string;
  title: string;
  status: string;
  assignedTo: string | null;
}

export interface PipelineStepView extends GraphTask {
  position: number;
  /** Queued behind an unfinished parent (the step before). */
  waiting: boolean;
}

/** done when every step is; failed when a step failed or was cancelled; running once one started; else queued. */
export type PipelineState = 'queued' | 'running' | 'done' | 'failed';

export interface PipelineView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  state: PipelineState;
  steps: PipelineStepView[];
}

export interface TaskLinks {
  parents: GraphTask[];
  children: GraphTask[];
  pipeline: { id: string; name: string; position: number; steps: number } | null;
}

const taskSelect = { id: true, title: true, status: true, assignedTo: true } as const;

export class TaskGraphService {
  constructor(private readonly deps: TaskGraphServiceDeps) {}

  async createPipeline(principal: Principal, input: z.infer<typeof pipelinesCreateInput>): Promise<{ pipelineId: string; taskIds: string[] }> {
    const createdBy = principalLabel(principal);
    const { pipelineId, tasks } = await this.deps.repository.createPipeline(
      {
        name: input.name,
        createdBy,
        steps: input.steps.map((step) => ({
          title: step.title,
          prompt: step.prompt,
          priority: step.priority,
          requiredCapability: step.requiredCapability ?? null,
          assignTo: step.assignTo ?? null,
          deadline: step.deadline ? new Date(step.deadline) : null,
          model: step.model ?? null,
          createdBy,
        })),
      },
      createdBy,
    );
    this.deps.requestDispatch();
    return { pipelineId, taskIds: tasks.map((task) => task.id) };
  }

  async getPipeline(principal: Principal, pipelineId: string): Promise<PipelineView> {
    const pipeline = await this.deps.db.pipeline.findUnique({ where: { id: pipelineId }, include: { steps: { orderBy: { position: 'asc' } } } });
    if (!pipeline || !this.seesPipeline(principal, pipeline.createdBy)) throw notFound(`pipeline ${pipelineId}`);
    const [view] = await this.views([pipeline]);
    return view!;
  }

  /** Newest first; `nextCursor` continues the listing. A worker or mobile token sees the pipelines it created. */
  async listPipelines(principal: Principal, input: z.infer<typeof pipelinesListInput>): Promise<{ pipelines: PipelineView[]; nextCursor: string | null }> {
    const rows = await this.deps.db.pipeline.findMany({
      where: {
        ...(input.cursor ? { id: { lt: input.cursor } } : {}),
        ...(this.seesAll(principal) ? {} : { createdBy: principalLabel(principal) }),
      },
      orderBy: { id: 'desc' },
      take: input.limit + 1,
      include: { steps: { orderBy: { position: 'asc' } } },
    });
    const page = rows.slice(0, input.limit);
    return { pipelines: await this.views(page), nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
  }

  /** A task's parents and children (and its pipeline), for its detail page. */
  async links(principal: Principal, taskId: string): Promise<TaskLinks> {
    await this.deps.tasks.assertVisible(principal, taskId);
    const task = await this.deps.db.task.findUnique({
      where: { id: taskId },
      select: {
        id: true,
        parents: { select: { parent: { select: { ...taskSelect, createdBy: true } } } },
        children: { select: { child: { select: { ...taskSelect, createdBy: true } } } },
      },
    });
    if (!task) throw notFound(`task ${taskId}`);
    // A worker or mobile token sees only the linked tasks it may open itself.
    const visible = (linked: GraphTask & { createdBy: string }) => this.seesAll(principal) || canTouchTask(principal, linked);
    const view = ({ createdBy: _createdBy, ...linked }: GraphTask & { createdBy: string }): GraphTask => linked;
    const step = await this.deps.db.pipelineStep.findUnique({ where: { taskId }, include: { pipeline: { include: { _count: { select: { steps: true } } } } } });
    const byId = (a: GraphTask, b: GraphTask) => a.id.localeCompare(b.id);
    return {
      parents: task.parents.map((edge) => edge.parent).filter(visible).map(view).sort(byId),
      children: task.children.map((edge) => edge.child).filter(visible).map(view).sort(byId),
      pipeline: step ? { id: step.pipelineId, name: step.pipeline.name, position: step.position, steps: step.pipeline._count.steps } : null,
    };
  }

  private async views(pipelines: { id: string; name: string; createdBy: string; createdAt: Date; steps: { position: number; taskId: string }[] }[]): Promise<PipelineView[]> {
    const taskIds = pipelines.flatMap((pipeline) => pipeline.steps.map((step) => step.taskId));
    const tasks = new Map(
      (await this.deps.db.task.findMany({ where: { id: { in: taskIds } }, select: { ...taskSelect, unfinishedParents: true } })).map((task) => [task.id, task]),
    );
    return pipelines.map((pipeline) => {
      const steps = pipeline.steps.flatMap((step) => {
        const task = tasks.get(step.taskId);
        if (!task) return [];
        return [{ position: step.position, id: task.id, title: task.title, status: task.status, assignedTo: task.assignedTo, waiting: task.status === 'queued' && task.unfinishedParents > 0 }];
      });
      return { id: pipeline.id, name: pipeline.name, createdBy: pipeline.createdBy, createdAt: pipeline.createdAt.toISOString(), state: pipelineState(steps), steps };
    });
  }

  private seesAll(principal: Principal): boolean {
    return principal.kind !== 'agent' || seesWholeMesh(principal);
  }

  private seesPipeline(principal: Principal, createdBy: string): boolean {
    return this.seesAll(principal) || createdBy === principalLabel(principal);
  }
}

export function pipelineState(steps: readonly { status: string }[]): PipelineState {
  if (steps.length > 0 && steps.every((step) => step.status === 'done')) return 'done';
  if (steps.some((step) => step.status === 'failed' || step.status === 'cancelled')) return 'failed';
  if (steps.some((step) => step.status !== 'queued')) return 'running';
  return 'queued';
}
