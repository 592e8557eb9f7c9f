// What an inbound webhook delivery says, read from its headers and JSON body: where it came from
// (GitHub, Uptime Kuma, anything else), its event name (for the event filter), a readable one-line
// summary (the chat message, or the `message` variable of a template's task), and values at dotted
// paths for a template's variables. Pure functions: no I/O.
import type { WebhookSource } from '@/lib/webhooks';

export interface DeliveryFacts {
  source: WebhookSource;
  event: string;
  summary: string;
}

type Headers = Record<string, string | string[] | undefined>;

const SUMMARY_CHARS = 2_000;
const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');
const clip = (value: string, chars = SUMMARY_CHARS) => (value.length > chars ? `${value.slice(0, chars - 1)}…` : value);

/** Uptime Kuma's heartbeat status codes. */
const KUMA_STATUS: Record<number, string> = { 0: 'down', 1: 'up', 2: 'pending', 3: 'maintenance' };

/**
 * Uptime Kuma, by its agent header or user agent, or by its body shape:
 * `{ heartbeat: { status, msg }, monitor: { name, url }, msg }`.
 */
export function isUptimeKuma(headers: Headers, body: unknown): boolean {
  if (header(headers, 'x-uptime-kuma-agent') || /uptime-kuma/i.test(header(headers, 'user-agent'))) return true;
  return isObject(body) && isObject(body.monitor) && 'name' in body.monitor && isObject(body.heartbeat) && 'status' in body.heartbeat && 'msg' in body;
}

export function describeDelivery(route: 'generic' | 'github', headers: Headers, body: unknown, webhookName: string): DeliveryFacts {
  if (route === 'github') return describeGitHub(header(headers, 'x-github-event') || 'unknown', body);
  if (isUptimeKuma(headers, body)) return describeUptimeKuma(body);
  const event = (isObject(body) ? text(body.event) || text(body.type) : '') || header(headers, 'x-webhook-event');
  const said = isObject(body) ? text(body.message) || text(body.text) || text(body.msg) || text(body.title) : typeof body === 'string' ? body.trim() : '';
  const summary = said || `${event ? `${event}: ` : ''}${clip(JSON.stringify(body ?? null), 500)}`;
  return { source: 'generic', event, summary: clip(`Webhook “${webhookName}”: ${summary}`) };
}

/** "monitor api is DOWN: connect ECONNREFUSED (https://api.example.com)". */
function describeUptimeKuma(body: unknown): DeliveryFacts {
  const payload = isObject(body) ? body : {};
  const monitor = isObject(payload.monitor) ? payload.monitor : {};
  const heartbeat = isObject(payload.heartbeat) ? payload.heartbeat : {};
  const status = typeof heartbeat.status === 'number' ? KUMA_STATUS[heartbeat.status] : undefined;
  const name = text(monitor.name) || 'unnamed monitor';
  const url = text(monitor.url);
  const detail = text(heartbeat.msg) || text(payload.msg);
  if (!status) return { source: 'uptime_kuma', event: 'notification', summary: clip(`Uptime Kuma: ${text(payload.msg) || `monitor ${name}`}`) };
  const summary = `monitor ${name} is ${status.toUpperCase()}${detail ? `: ${detail}` : ''}${url && url !== 'https://' ? ` (${url})` : ''}`;
  return { source: 'uptime_kuma', event: status, summary: clip(summary) };
}

function describeGitHub(event: string, body: unknown): DeliveryFacts {
  const payload = isObject(body) ? body : {};
  const repository = isObject(payload.repository) ? text(payload.repository.full_name) : '';
  const sender = isObject(payload.sender) ? text(payload.sender.login) : '';
  const where = repository ? ` in ${repository}` : '';
  const by = sender ? ` by ${sender}` : '';
  const action = text(payload.action);
  let summary: string;
  if (event === 'push') {
    const commits = Array.isArray(payload.commits) ? payload.commits.length : 0;
    const ref = text(payload.ref).replace(/^refs\/heads\//, '');
    summary = `GitHub push${where}${ref ? ` to ${ref}` : ''}: ${commits} commit${commits === 1 ? '' : 's'}${by}`;
  } else if ((event === 'pull_request' || event === 'issues') && isObject(payload[event === 'issues' ? 'issue' : 'pull_request'])) {
    const item = payload[event === 'issues' ? 'issue' : 'pull_request'] as Record<string, unknown>;
    summary = `GitHub ${event === 'issues' ? 'issue' : 'pull request'} #${text(item.number)} ${action || 'updated'}${where}: ${text(item.title)}${by}`;
  } else if (event === 'ping') {
    summary = `GitHub ping${where}: ${text(payload.zen) || 'the webhook is connected'}`;
  } else {
    summary = `GitHub ${event}${action ? ` ${action}` : ''}${where}${by}`;
  }
  return { source: 'github', event, summary: clip(summary) };
}

/** The value at a dotted path (`monitor.name`, `commits.0.id`) as text; objects as JSON; missing: ''. */
export function valueAtPath(body: unknown, path: string): string {
  let current: unknown = body;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else return '';
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** Whether an event name passes a filter (`*`, or a comma-separated list). A delivery with no event name passes only `*`. */
export function passesEventFilter(filter: string, event: string): boolean {
  const names = filter.split(',').map((name) => name.trim()).filter(Boolean);
  return names.includes('*') || (event !== '' && names.includes(event));
}
