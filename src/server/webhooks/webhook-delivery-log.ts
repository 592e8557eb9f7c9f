// The deliveries table: one row per inbound request to a known webhook and what the hub did, each
// written with its `webhook_received` event in one transaction. Only the newest rows per webhook
// are kept (the admin page shows the recent ones).
import { newId } from '@/lib/ids';
import type { WebhookDeliveryOutcome, WebhookSource } from '@/lib/webhooks';
import type { Clock } from '../clock';
import { sqlTime, type SqliteConnection } from '../db/sqlite/connection';
import type { EventBus } from '../events/event-bus';

/** Rows kept per webhook; older ones are deleted as new ones arrive. */
const KEPT_PER_WEBHOOK = 200;

export interface DeliveryRecord {
  webhookId: string;
  webhookName: string;
  source: WebhookSource;
  event: string;
  outcome: WebhookDeliveryOutcome;
  status: number;
  detail: string;
  taskId?: string | null;
  messageId?: string | null;
}

export class WebhookDeliveryLog {
  constructor(private readonly deps: { connection: SqliteConnection; events: EventBus; clock: Clock }) {}

  record(delivery: DeliveryRecord): Promise<string> {
    return this.deps.events.transact((tx) => {
      const now = this.deps.clock.now();
      const id = newId(now.getTime());
      const sql = this.deps.connection;
      sql
        .statement(
          `INSERT INTO webhook_deliveries (id, webhook_id, received_at, source, event, outcome, status, detail, task_id, message_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, delivery.webhookId, sqlTime(now), delivery.source, delivery.event, delivery.outcome, delivery.status, delivery.detail, delivery.taskId ?? null, delivery.messageId ?? null);
      sql
        .statement(
          `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id NOT IN
             (SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ${KEPT_PER_WEBHOOK})`,
        )
        .run(delivery.webhookId, delivery.webhookId);
      tx.emit(
        'webhook_received',
        {
          webhookId: delivery.webhookId,
          name: delivery.webhookName,
          deliveryId: id,
          source: delivery.source,
          event: delivery.event,
          outcome: delivery.outcome,
          status: delivery.status,
          taskId: delivery.taskId ?? null,
          messageId: delivery.messageId ?? null,
        },
        { permission: 'admin:webhooks' },
      );
      return id;
    });
  }
}
