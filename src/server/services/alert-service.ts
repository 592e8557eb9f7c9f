// ntfy alerts (spec sections 09 and 22): one alert per condition, de-duplicated through the
// alerts_sent table, published as alert_sent, and POSTed to ntfy in the background so a slow or
// unreachable ntfy never delays or fails the request, sweeper or task report that raised it.
//
// De-duplication keys, one row per (kind, key) in alerts_sent:
// | kind        | dedupKey                         | fires again when                          |
// | agent_down  | agentId                          | clear('agent_down', agentId) on recovery  |
// | task_failed | taskId                           | never (once per task)                     |
// | escalation  | escalationId                     | never (once per escalation)               |
// | budget      | `${agentId}:${YYYY-MM-DD UTC}`   | the next UTC day (a new key)              |
// | deadline    | `${taskId}:${urgency}`           | each urgency step (a new key)             |
import { newId } from '@/lib/ids';
import { utf8Bytes } from '@/lib/limits';
import { Prisma } from '../../generated/prisma/client';
import type { Clock } from '../clock';
import type { HubConfig } from '../config';
import type { Database } from '../db/client';
import type { EventBus } from '../events/event-bus';
import type { HubLogger } from '../logging/logger';

export const ALERT_KINDS = ['agent_down', 'task_failed', 'escalation', 'budget', 'deadline'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertInput {
  kind: AlertKind;
  dedupKey: string;
  title: string;
  message: string;
  /** ntfy priority: 1 (min) to 5 (max/urgent); 3 is ntfy's default. */
  priority?: number;
  /** ntfy tags (emoji shortcodes show as icons); the kind is always added. */
  tags?: string[];
}

export type AlertOutcome = 'sent' | 'duplicate' | 'failed';

export interface AlertServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  config: Pick<HubConfig, 'ntfyUrl' | 'ntfyTopic'>;
  /** One line per delivery problem; never given URLs, topics or response bodies. */
  logger?: HubLogger;
  /** How long one POST may take before it is abandoned. */
  deliveryTimeoutMs?: number;
}

interface Delivery {
  /** An alert's kind, or `notify` for a push an agent asked for (the notify plugin). */
  kind: AlertKind | 'notify';
  title: string;
  message: string;
  priority: number;
  tags: string[];
}

/** ntfy refuses messages over 4,096 bytes by default; titles show on one line. */
const MAX_MESSAGE_BYTES = 4_000;
const MAX_TITLE_CHARS = 200;
const MAX_DEDUP_KEY_CHARS = 200;
/** Deliveries waiting beyond this are dropped oldest first: an outage must not grow memory. */
const MAX_QUEUED_DELIVERIES = 200;
const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

const DEFAULT_TAGS: Record<AlertKind, string> = {
  agent_down: 'rotating_light',
  task_failed: 'x',
  escalation: 'arrow_up',
  budget: 'moneybag',
  deadline: 'alarm_clock',
};

function truncateBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  // A cut through a multi-byte character decodes to U+FFFD; drop that half character.
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes - 3).toString('utf8').replace(/\uFFFD$/, '');
  return `${cut}...`;
}

/**
 * HTTP header values are Latin-1; ntfy decodes RFC 2047 encoded words, so a title with an
 * em dash or an emoji is sent as `=?UTF-8?B?...?=` (plain ASCII is sent as is).
 */
function encodeHeaderValue(value: string): string {
  const singleLine = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(singleLine) ? singleLine : `=?UTF-8?B?${Buffer.from(singleLine, 'utf8').toString('base64')}?=`;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** A short reason for a log line: a status or an error code, never the URL in the message. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown error';
}

export class AlertService {
  private readonly queue: Delivery[] = [];
  private draining: Promise<void> | null = null;
  /** Records and clears not yet written; flush() waits for them too. */
  private readonly writes = new Set<Promise<unknown>>();
  private readonly log: (line: string) => void;

  constructor(private readonly deps: AlertServiceDeps) {
    const logger = deps.logger;
    this.log = (line) => (logger ? logger.warn(line) : console.warn(`[m3shd] ${line}`));
  }

  /**
   * Raise an alert. Resolves once the alert is recorded (or found to be a duplicate), never
   * waiting for ntfy, and never rejects: callers such as sweepers may leave it un-awaited.
   * An alert whose (kind, dedupKey) row exists and is not cleared is a duplicate: nothing is
   * sent. A cleared row is re-armed and the alert is sent again.
   */
  send(alert: AlertInput): Promise<AlertOutcome> {
    return this.track(
      this.record(alert).catch((error: unknown) => {
        this.log(`alert ${alert.kind} not recorded: ${error instanceof Error ? error.name : 'unknown error'}`);
        return 'failed' as const;
      }),
    );
  }

  /**
   * The condition is over (an agent came back online), so the next occurrence alerts again.
   * Resolves true when an active alert was cleared; never rejects.
   */
  clear(kind: AlertKind, dedupKey: string): Promise<boolean> {
    return this.track(
      this.deps.db.alertSent
        .updateMany({ where: { kind, dedupKey, clearedAt: null }, data: { clearedAt: this.deps.clock.now() } })
        .then((result) => result.count > 0)
        .catch((error: unknown) => {
          this.log(`alert ${kind} not cleared: ${error instanceof Error ? error.name : 'unknown error'}`);
          return false;
        }),
    );
  }

  /**
   * Waits until every pending record is written and every queued delivery has been attempted.
   * With `timeoutMs` (shutdown), stops waiting for deliveries after that long; records are
   * always waited for, as they need the database that shutdown is about to close.
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    for (;;) {
      while (this.writes.size > 0) await Promise.all([...this.writes]);
      const draining = this.draining;
      if (!draining) return;
      if (deadline === undefined) {
        await draining;
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.abandonQueue();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        draining.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), remaining);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) return this.abandonQueue();
    }
  }

  private abandonQueue(): void {
    const dropped = this.queue.length;
    this.queue.length = 0;
    if (dropped > 0) this.log(`alert delivery: ${dropped} queued alert(s) dropped at shutdown`);
  }

  private track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    return write;
  }

  private async record(alert: AlertInput): Promise<AlertOutcome> {
    const now = this.deps.clock.now();
    const dedupKey = alert.dedupKey.slice(0, MAX_DEDUP_KEY_CHARS);
    // Insert first: the common case (a new condition) is one statement, and the unique index
    // makes two simultaneous sends of one condition produce exactly one alert.
    let fresh = true;
    try {
      await this.deps.db.alertSent.create({ data: { id: newId(now.getTime()), kind: alert.kind, dedupKey, sentAt: now, clearedAt: null } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      fresh = false;
    }
    if (!fresh) {
      // Only a cleared row is re-armed; the condition check and the update are one statement.
      const rearmed = await this.deps.db.alertSent.updateMany({
        where: { kind: alert.kind, dedupKey, clearedAt: { not: null } },
        data: { clearedAt: null, sentAt: now },
      });
      if (rearmed.count === 0) return 'duplicate';
    }

    // Cut by code points, so an emoji at the limit is not split into half a surrogate pair.
    const title = [...alert.title.replace(/[\r\n]+/g, ' ')].slice(0, MAX_TITLE_CHARS).join('');
    // Queued before the event is published: the row now says "sent", so the push must not
    // depend on the event write succeeding.
    if (this.deps.config.ntfyUrl) {
      this.enqueue({
        kind: alert.kind,
        title,
        message: truncateBytes(alert.message, MAX_MESSAGE_BYTES),
        priority: Math.min(5, Math.max(1, Math.round(alert.priority ?? 3))),
        tags: [...new Set([DEFAULT_TAGS[alert.kind], ...(alert.tags ?? []), alert.kind])],
      });
    }
    await this.deps.events.publish('alert_sent', { kind: alert.kind, title }, { permission: 'admin:analytics' });
    return 'sent';
  }

  /**
   * A push an agent asked for (the notify plugin): not de-duplicated (each call is its own
   * message; the plugin rate-limits per agent), published as alert_sent with kind `notify`, and
   * delivered through the same ordered background queue as alerts. `not_configured` without ntfy.
   */
  async notify(push: { title: string; message: string; priority?: number; tags?: string[] }): Promise<'queued' | 'not_configured'> {
    const title = [...push.title.replace(/[\r\n]+/g, ' ')].slice(0, MAX_TITLE_CHARS).join('');
    const configured = Boolean(this.deps.config.ntfyUrl);
    if (configured) {
      this.enqueue({
        kind: 'notify',
        title,
        message: truncateBytes(push.message, MAX_MESSAGE_BYTES),
        priority: Math.min(5, Math.max(1, Math.round(push.priority ?? 3))),
        tags: [...new Set([...(push.tags ?? []), 'notify'])],
      });
    }
    await this.deps.events.publish('alert_sent', { kind: 'notify', title }, { permission: 'admin:analytics' });
    return configured ? 'queued' : 'not_configured';
  }

  private enqueue(delivery: Delivery): void {
    if (this.queue.length >= MAX_QUEUED_DELIVERIES) {
      const dropped = this.queue.shift()!;
      this.log(`alert delivery queue full: dropped the oldest ${dropped.kind} alert`);
    }
    this.queue.push(delivery);
    this.startDraining();
  }

  /** One delivery at a time, in order: ntfy shows alerts in the order they happened. */
  private startDraining(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = (async () => {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.deliver(next);
    })().finally(() => {
      this.draining = null;
      // An alert queued between the loop's last check and this callback starts a new run.
      this.startDraining();
    });
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { ntfyUrl, ntfyTopic } = this.deps.config;
    if (!ntfyUrl) return;
    try {
      const response = await fetch(`${ntfyUrl}/${encodeURIComponent(ntfyTopic)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          Title: encodeHeaderValue(delivery.title),
          Priority: String(delivery.priority),
          Tags: encodeHeaderValue(delivery.tags.join(',')),
        },
        body: delivery.message,
        signal: AbortSignal.timeout(this.deps.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS),
      });
      // Read the answer so the connection can be reused; its content is not needed.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) this.log(`alert delivery failed (${delivery.kind}): ntfy answered ${response.status}`);
    } catch (error) {
      this.log(`alert delivery failed (${delivery.kind}): ${describeFailure(error)}`);
    }
  }
}

/** The escalation alert, for EscalationService's onCreated hook (once per escalation id). */
export function escalationAlert(escalation: { id: string; fromAgent: string; toAgent: string; taskId: string | null; reason: string }): AlertInput {
  return {
    kind: 'escalation',
    dedupKey: escalation.id,
    title: `Escalation: ${escalation.fromAgent} → ${escalation.toAgent}`,
    message: `${escalation.fromAgent} escalated${escalation.taskId ? ` task ${escalation.taskId}` : ''} to ${escalation.toAgent}: ${escalation.reason}`,
    priority: 4,
  };
}
