// The shapes the tasks page receives from the hub, inferred from the router (one source of truth).
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers';

type Outputs = inferRouterOutputs<AppRouter>;

export type TaskSummary = Outputs['tasks']['list']['tasks'][number];
export type TaskDetail = Outputs['tasks']['get'];
export type StreamChunk = Outputs['tasks']['chunks']['chunks'][number];
export type Approval = Outputs['approvals']['list'][number];
export type Escalation = Outputs['escalations']['list'][number];
export type Agent = Outputs['agents']['list'][number];
