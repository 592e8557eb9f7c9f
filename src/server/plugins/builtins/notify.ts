// Built-in `notify`: an ntfy push from within a task, through the alert service (the same
// server, topic and ordered background delivery as the hub's alerts). Limited per caller (each
// agent, or user/master) to MESH_NOTIFY_PER_HOUR pushes in any sliding hour, counted on the hub's
// clock; over it the call is refused with 429 and nothing is sent.
import { notifyArgs } from '@/lib/plugins';
import type { AlertService } from '../../services/alert-service';
import { ToolError, type Plugin } from '../plugin-api';

const HOUR_MS = 60 * 60 * 1000;

export function notifyPlugin(options: { alerts: Pick<AlertService, 'notify'>; perHour: number }): Plugin {
  const sentAt = new Map<string, number[]>();
  return {
    name: 'notify',
    setup(manager) {
      manager.declareCapability('notify', 'sends a push notification to the operator');
      manager.registerTool({
        name: 'notify',
        description: 'Sends the operator a push notification. Arguments: {"message": "…", "title": "…" (optional), "priority": 1-5 (default 3)}.',
        args: notifyArgs,
        async run(args, context) {
          const now = context.now().getTime();
          const key = context.agentId ? `agent:${context.agentId}` : context.caller;
          const recent = (sentAt.get(key) ?? []).filter((time) => time > now - HOUR_MS);
          if (recent.length >= options.perHour) {
            sentAt.set(key, recent);
            throw new ToolError('rate_limited', `notify allows ${options.perHour} pushes per agent per hour (MESH_NOTIFY_PER_HOUR)`);
          }
          recent.push(now);
          sentAt.set(key, recent);
          const from = context.agentId ?? context.caller;
          const outcome = await options.alerts.notify({ title: args.title ?? `Message from ${from}`, message: args.message, priority: args.priority, tags: ['speech_balloon'] });
          const text = outcome === 'queued' ? 'The notification was sent to the operator.' : 'The notification was recorded, but no ntfy server is configured on this hub (MESH_NTFY_URL), so nothing was pushed.';
          return { text, data: { delivered: outcome === 'queued', remainingThisHour: options.perHour - recent.length } };
        },
      });
    },
  };
}
