// Inbound webhooks (spec section 21): admin CRUD, and the handling of one delivery. The secret is
// generated here, returned once, and stored encrypted (AES-256-GCM under its own HKDF subkey of
// MESH_SECRET_KEY, bound to the webhook's id). A delivery is checked in this order, and each step
// that refuses does nothing else: the webhook exists (404), 10 requests per minute per webhook
// (429), no secret in the query string (400), the body within its cap (413), the secret or the
// GitHub signature (401), the event filter; then the action runs: a system chat message, or a
// template's task with variables taken from the payload.
import { randomBytes } from 'node:crypto';
import { newId } from '@/lib/ids';
import { LIMITS } from '@/lib/limits';
import { templateVariables } from '@/lib/templates';
import {
  WEBHOOK_RECENT_DELIVERIES,
  WEBHOOK_REQUESTS_PER_MINUTE,
  webhookActionSchema,
  type WebhookAction,
  type WebhookDeliveryOutcome,
  type WebhookDeliveryView,
  type WebhooksCreateInput,
  type WebhookSource,
  type WebhookView,
} from '@/lib/webhooks';
import { principalLabel, type Principal } from '../auth/principal';
import { RequestRateLimiter } from '../auth/request-rate-limiter';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, badInput, notFound } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { MemoryCipher } from '../memory/memory-cipher';
import type { MessageService } from '../services/message-service';
import type { TemplateService } from '../templates/template-service';
import type { WebhookDeliveryLog } from './webhook-delivery-log';
import { describeDelivery, passesEventFilter, valueAtPath } from './webhook-payload';
import { githubSignatureMatches, secretMatches } from './webhook-signatures';

export interface WebhookServiceDeps {
  db: Database;
  clock: Clock;
  events: EventBus;
  /** The hub's AES-256-GCM at-rest cipher, keyed with the `webhook-secrets` subkey. */
  cipher: MemoryCipher;
  deliveries: WebhookDeliveryLog;
  messages: MessageService;
  templates: TemplateService;
}

export type WebhookRoute = 'generic' | 'github';

export interface InboundDelivery {
  webhookId: string;
  route: WebhookRoute;
  headers: Record<string, string | string[] | undefined>;
  /** The query string's parameters, as name and value. */
  query: [string, string][];
  /** Reads the raw body, throwing limit_exceeded past the cap. */
  readBody: () => Promise<Buffer>;
}

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Query parameters that look like a credential: a webhook secret must never travel in a URL (logs, proxies, history). */
const SECRET_LIKE_QUERY = /secret|token|key|signature|password|auth/i;

const secretContext = (webhookId: string) => `webhooks\0${webhookId}`;

type WebhookRow = { id: string; name: string; action: string; actionConfig: string; eventFilter: string; createdBy: string; createdAt: Date };

export class WebhookService {
  private readonly limiter: RequestRateLimiter;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.limiter = new RequestRateLimiter(deps.clock, WEBHOOK_REQUESTS_PER_MINUTE, 60_000);
  }

  async create(creator: Principal, input: WebhooksCreateInput): Promise<{ secret: string; view: WebhookView }> {
    if (input.action.kind === 'task') await this.checkTemplateAction(input.action);
    const now = this.deps.clock.now();
    const id = newId(now.getTime());
    const secret = randomBytes(32).toString('base64url');
    const { kind, ...config } = input.action;
    const row = await this.deps.db.webhook.create({
      data: {
        id,
        name: input.name,
        secret: this.deps.cipher.encrypt(secret, secretContext(id)),
        eventFilter: input.eventFilter,
        action: kind,
        actionConfig: JSON.stringify(config),
        createdBy: principalLabel(creator),
        createdAt: now,
      },
      omit: { secret: true },
    });
    await this.deps.events.publish('webhook_created', { webhookId: id, name: row.name }, { permission: 'admin:webhooks' });
    return { secret, view: toView(row, null) };
  }

  async list(): Promise<WebhookView[]> {
    const rows = await this.deps.db.webhook.findMany({
      orderBy: { createdAt: 'asc' },
      take: LIMITS.listRows,
      omit: { secret: true },
      include: { deliveries: { orderBy: { id: 'desc' }, take: 1 } },
    });
    return rows.map((row) => toView(row, row.deliveries[0] ? toDeliveryView(row.deliveries[0]) : null));
  }

  async delete(webhookId: string): Promise<{ webhookId: string; deleted: true }> {
    const row = await this.deps.db.webhook.findUnique({ where: { id: webhookId }, select: { name: true } });
    if (!row) throw notFound('webhook');
    await this.deps.db.webhook.delete({ where: { id: webhookId } });
    await this.deps.events.publish('webhook_deleted', { webhookId, name: row.name }, { permission: 'admin:webhooks' });
    return { webhookId, deleted: true };
  }

  /** The newest deliveries first. */
  async deliveries(webhookId: string): Promise<WebhookDeliveryView[]> {
    const exists = await this.deps.db.webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
    if (!exists) throw notFound('webhook');
    const rows = await this.deps.db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { id: 'desc' }, take: WEBHOOK_RECENT_DELIVERIES });
    return rows.map(toDeliveryView);
  }

  async receive(inbound: InboundDelivery): Promise<DeliveryAnswer> {
    const webhook = await this.deps.db.webhook.findUnique({ where: { id: inbound.webhookId } });
    if (!webhook) return { status: 404, body: { error: { code: 'not_found', message: 'webhook not found' } } };
    const rate = this.limiter.take(webhook.id);
    if (!rate.allowed) {
      return {
        status: 429,
        headers: { 'Retry-After': String(rate.retryAfterSeconds) },
        body: { error: { code: 'rate_limited', message: `webhook over its limit of ${WEBHOOK_REQUESTS_PER_MINUTE} requests per minute; retry in ${rate.retryAfterSeconds} s` } },
      };
    }
    const source: WebhookSource = inbound.route === 'github' ? 'github' : 'generic';
    const refuse = async (status: number, code: string, message: string, outcome: WebhookDeliveryOutcome = 'rejected', event = '', deliverySource = source) => {
      await this.deps.deliveries.record({ webhookId: webhook.id, webhookName: webhook.name, source: deliverySource, event, outcome, status, detail: message });
      return { status, body: { error: { code, message } } };
    };

    const secret = this.deps.cipher.decrypt(webhook.secret, secretContext(webhook.id));
    if (inbound.query.some(([name, value]) => SECRET_LIKE_QUERY.test(name) || secretMatches(value, secret))) {
      return refuse(400, 'bad_input', 'query: a webhook secret is accepted only in a header (X-Webhook-Secret, or GitHub’s X-Hub-Signature-256), never in the URL; nothing was done');
    }
    let rawBody: Buffer;
    try {
      rawBody = await inbound.readBody();
    } catch (error) {
      if (error instanceof AppError && error.kind === 'limit_exceeded') return refuse(413, 'limit_exceeded', error.message);
      throw error;
    }

    const authentic =
      inbound.route === 'github'
        ? githubSignatureMatches(headerValue(inbound.headers, 'x-hub-signature-256'), secret, rawBody)
        : secretMatches(headerValue(inbound.headers, 'x-webhook-secret'), secret);
    if (!authentic) {
      return refuse(401, 'unauthorized', inbound.route === 'github' ? 'X-Hub-Signature-256 does not match the body signed with this webhook’s secret' : 'X-Webhook-Secret is missing or wrong');
    }

    const body = parseBody(rawBody, headerValue(inbound.headers, 'content-type'));
    const facts = describeDelivery(inbound.route, inbound.headers, body, webhook.name);
    if (!passesEventFilter(webhook.eventFilter, facts.event)) {
      const id = await this.deps.deliveries.record({ webhookId: webhook.id, webhookName: webhook.name, source: facts.source, event: facts.event, outcome: 'filtered', status: 200, detail: `event "${facts.event}" is not in the filter "${webhook.eventFilter}"` });
      return { status: 200, body: { deliveryId: id, outcome: 'filtered', event: facts.event } };
    }

    const action = webhookActionSchema.parse({ kind: webhook.action, ...(JSON.parse(webhook.actionConfig) as object) });
    try {
      const result = await this.runAction(webhook, action, body, facts.summary);
      const id = await this.deps.deliveries.record({ webhookId: webhook.id, webhookName: webhook.name, source: facts.source, event: facts.event, outcome: 'accepted', status: 202, detail: facts.summary, ...result });
      return { status: 202, body: { deliveryId: id, outcome: 'accepted', source: facts.source, event: facts.event, summary: facts.summary, ...result } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const id = await this.deps.deliveries.record({ webhookId: webhook.id, webhookName: webhook.name, source: facts.source, event: facts.event, outcome: 'failed', status: 422, detail: error.message });
      return { status: 422, body: { deliveryId: id, outcome: 'failed', error: { code: error.kind, message: error.message } } };
    }
  }

  private async runAction(webhook: WebhookRow, action: WebhookAction, body: unknown, summary: string): Promise<{ taskId?: string; messageId?: string }> {
    if (action.kind === 'chat') {
      const message = await this.deps.messages.postSystem(action.channel, summary);
      return { messageId: message.id };
    }
    const variables = Object.fromEntries(Object.entries(action.variables).map(([name, path]) => [name, path === 'message' ? summary : valueAtPath(body, path)]));
    const principal: Principal = { kind: 'webhook', webhookId: webhook.id, name: webhook.name, via: 'token' };
    const { task } = await this.deps.templates.dispatch(principal, { templateId: action.templateId, variables });
    return { taskId: task.id };
  }

  /** A task action names a template that exists and maps every one of its variables, and no others. */
  private async checkTemplateAction(action: Extract<WebhookAction, { kind: 'task' }>): Promise<void> {
    const template = await this.deps.templates.get(action.templateId).catch(() => {
      throw badInput('action.templateId', 'no such template');
    });
    const wanted = templateVariables(template.promptTemplate);
    for (const name of Object.keys(action.variables)) {
      if (!wanted.includes(name)) throw badInput(`action.variables.${name}`, `the template has no {${name}}; it takes ${wanted.map((v) => `{${v}}`).join(', ') || 'no variables'}`);
    }
    for (const name of wanted) {
      if (!(name in action.variables)) throw badInput(`action.variables.${name}`, `missing: say where {${name}} comes from (a payload path, or "message" for the readable summary)`);
    }
  }
}

function headerValue(headers: InboundDelivery['headers'], name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** JSON when it parses; a form post's `payload` field (GitHub's form content type); otherwise the text. */
function parseBody(raw: Buffer, contentType: string): unknown {
  const text = raw.toString('utf8');
  if (/application\/x-www-form-urlencoded/i.test(contentType)) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload !== null) return parseJson(payload) ?? payload;
  }
  return parseJson(text) ?? text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toView(row: WebhookRow, lastDelivery: WebhookDeliveryView | null): WebhookView {
  return {
    id: row.id,
    name: row.name,
    action: webhookActionSchema.parse({ kind: row.action, ...(JSON.parse(row.actionConfig) as object) }),
    eventFilter: row.eventFilter,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    paths: { generic: `/api/webhooks/${row.id}`, github: `/api/webhooks/${row.id}/github` },
    lastDelivery,
  };
}

function toDeliveryView(row: { id: string; receivedAt: Date; source: string; event: string; outcome: string; status: number; detail: string; taskId: string | null; messageId: string | null }): WebhookDeliveryView {
  return {
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
    source: row.source as WebhookSource,
    event: row.event,
    outcome: row.outcome as WebhookDeliveryOutcome,
    status: row.status,
    detail: row.detail,
    taskId: row.taskId,
    messageId: row.messageId,
  };
}
