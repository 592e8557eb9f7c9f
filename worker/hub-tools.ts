// Runs a model's tool call on the hub: plugins.invoke through the worker's typed tRPC client,
// as the worker's agent. A refusal (unknown or disabled tool, bad arguments, a rate limit) comes
// back as the hub's message, which the model reads and can act on; it never fails the task.
import type { HubClient } from '../src/lib/hub-client';
import type { ToolInvoker } from './tool-loop';

export function createHubToolInvoker(client: HubClient, taskId: string): ToolInvoker {
  return async (call, signal) => {
    try {
      const result = await client.plugins.invoke.mutate({ tool: call.tool, args: call.args, taskId }, { signal });
      return { ok: true, text: result.text };
    } catch (error) {
      const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus;
      const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim().slice(0, 500) : 'unknown error';
      return { ok: false, text: status !== undefined ? `the hub refused the call (${status}): ${message}` : 'the hub could not be reached for the tool call' };
    }
  };
}
