// `mesh tail`: live events, one line each (time, type, summary), until Ctrl-C. Drops are
// reconnected from the last event id, so nothing is missed while the hub restarts.
import type { MeshEvent } from '../../../src/lib/events';
import { EVENTS_STREAM_PERMISSION } from '../../../src/lib/permissions';
import { listOption, UsageError } from '../args';
import type { CommandSpec } from '../command';
import { CommandFailure } from '../errors';
import { EVENT_TYPES, isEventType, summarizeEvent } from '../event-summary';
import { followEvents } from '../event-follow';
import { formatClock } from '../format';

const TYPE_WIDTH = Math.max(...EVENT_TYPES.map((type) => type.length));

export function formatEventLine(event: MeshEvent): string {
  return `${formatClock(event.ts)}  ${event.type.padEnd(TYPE_WIDTH)}  ${summarizeEvent(event)}`;
}

export const tailCommand: CommandSpec = {
  name: 'tail',
  usage: 'tail [--types A,B]',
  summary: 'print live events, one line each, until Ctrl-C; reconnects on drops',
  details: [`Event types: ${EVENT_TYPES.join(', ')}.`, 'An agent token sees only its own agent’s events and broadcasts.'],
  options: [{ name: 'types', kind: 'string', placeholder: 'A,B', description: 'only these event types (comma-separated)' }],
  async run({ hub, out, options }) {
    const types = listOption(options, 'types');
    const unknown = types?.filter((type) => !isEventType(type)) ?? [];
    if (unknown.length > 0) throw new UsageError(`unknown event type ${unknown.join(', ')} (known: ${EVENT_TYPES.join(', ')})`);
    const wanted = types ? new Set<string>(types) : undefined;

    const client = hub.client;
    // A refused token or a missing permission is reported here, as one line, not as a stream error.
    const me = await client.account.me.query(undefined, hub.request());
    if (!(me.permissions as readonly string[]).includes(EVENTS_STREAM_PERMISSION)) {
      throw new CommandFailure(`permission denied (403): missing permission ${EVENTS_STREAM_PERMISSION}`);
    }

    return new Promise<number>((resolve, reject) => {
      let everLive = false;
      const follower = followEvents({
        hubUrl: hub.settings.url,
        token: hub.settings.token,
        onLive() {
          out.note(everLive ? 'reconnected' : `following events on ${hub.displayUrl} (Ctrl-C to stop)`);
          everLive = true;
        },
        onDown(reason) {
          out.note(`connection lost (${reason}); reconnecting…`);
        },
        onEvent(event) {
          if (event.type !== 'resync' && wanted && !wanted.has(event.type)) return;
          out.line(formatEventLine(event));
        },
        onFatal(error) {
          process.off('SIGINT', onInterrupt);
          reject(error);
        },
      });
      function onInterrupt() {
        follower.stop();
        resolve(0);
      }
      process.once('SIGINT', onInterrupt);
    });
  },
};
