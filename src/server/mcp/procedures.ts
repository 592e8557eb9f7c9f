// The tRPC procedures the MCP tools call, as one interface that both doors satisfy: on the hub
// (Streamable HTTP) it is appRouter's own caller for the request's principal; on the operator's
// machine (stdio) it is the typed tRPC client over HTTP, adapted here. Either way the procedure
// validates the input, checks the permission and does the work: the tools hold no behaviour of
// their own beyond choosing procedures and shaping answers.
import type { inferRouterOutputs } from '@trpc/server';
import type { HubClient } from '../../lib/hub-client';
import type { AppRouter } from '../routers';

type Outputs = inferRouterOutputs<AppRouter>;

/**
 * Caller-shaped (`procedures.tasks.get(input)`). Inputs are the model's arguments passed on as
 * they came: each procedure parses them with its own schema. Declared as methods, so a tRPC
 * caller, whose inputs are the procedures' parsed types, is assignable as is.
 */
export interface MeshProcedures {
  account: { me(): Promise<Outputs['account']['me']> };
  agents: { list(): Promise<Outputs['agents']['list']> };
  tasks: {
    create(input: unknown): Promise<Outputs['tasks']['create']>;
    get(input: unknown): Promise<Outputs['tasks']['get']>;
    list(input: unknown): Promise<Outputs['tasks']['list']>;
    cancel(input: unknown): Promise<Outputs['tasks']['cancel']>;
  };
  pipelines: { create(input: unknown): Promise<Outputs['pipelines']['create']> };
  templates: {
    list(): Promise<Outputs['templates']['list']>;
    dispatch(input: unknown): Promise<Outputs['templates']['dispatch']>;
  };
  chat: { send(input: unknown): Promise<Outputs['chat']['send']> };
  messages: { list(input: unknown): Promise<Outputs['messages']['list']> };
  context: {
    list(): Promise<Outputs['context']['list']>;
    get(input: unknown): Promise<Outputs['context']['get']>;
    set(input: unknown): Promise<Outputs['context']['set']>;
  };
  approvals: {
    list(input: unknown): Promise<Outputs['approvals']['list']>;
    approve(input: unknown): Promise<Outputs['approvals']['approve']>;
    reject(input: unknown): Promise<Outputs['approvals']['reject']>;
  };
  memory: { search(input: unknown): Promise<Outputs['memory']['search']> };
  costs: { summary(input: unknown): Promise<Outputs['costs']['summary']> };
}

/**
 * The same procedures over the typed tRPC client (stdio). `signal` ends each call: the tool call
 * was cancelled, or the per-call timeout passed.
 */
export function proceduresOverHubClient(client: HubClient, signal: () => AbortSignal): MeshProcedures {
  // The model's arguments go to the hub unparsed (it validates them): the cast only lets them through.
  const asInput = (input: unknown) => input as never;
  const options = () => ({ signal: signal() });
  return {
    account: { me: () => client.account.me.query(undefined, options()) },
    agents: { list: () => client.agents.list.query(undefined, options()) },
    tasks: {
      create: (input) => client.tasks.create.mutate(asInput(input), options()),
      get: (input) => client.tasks.get.query(asInput(input), options()),
      list: (input) => client.tasks.list.query(asInput(input), options()),
      cancel: (input) => client.tasks.cancel.mutate(asInput(input), options()),
    },
    pipelines: { create: (input) => client.pipelines.create.mutate(asInput(input), options()) },
    templates: {
      list: () => client.templates.list.query(undefined, options()),
      dispatch: (input) => client.templates.dispatch.mutate(asInput(input), options()),
    },
    chat: { send: (input) => client.chat.send.mutate(asInput(input), options()) },
    messages: { list: (input) => client.messages.list.query(asInput(input), options()) },
    context: {
      list: () => client.context.list.query(undefined, options()),
      get: (input) => client.context.get.query(asInput(input), options()),
      set: (input) => client.context.set.mutate(asInput(input), options()),
    },
    approvals: {
      list: (input) => client.approvals.list.query(asInput(input), options()),
      approve: (input) => client.approvals.approve.mutate(asInput(input), options()),
      reject: (input) => client.approvals.reject.mutate(asInput(input), options()),
    },
    memory: { search: (input) => client.memory.search.query(asInput(input), options()) },
    costs: { summary: (input) => client.costs.summary.query(asInput(input), options()) },
  };
}
