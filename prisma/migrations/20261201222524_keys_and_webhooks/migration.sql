-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhook_id" TEXT NOT NULL,
    "received_at" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "event" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "task_id" TEXT,
    "message_id" TEXT,
    CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "permissions" TEXT NOT NULL DEFAULT '[]',
    "rate_limit" INTEGER NOT NULL DEFAULT 60,
    "daily_cap" INTEGER NOT NULL DEFAULT 1000,
    "usage_today" INTEGER NOT NULL DEFAULT 0,
    "usage_day" TEXT NOT NULL DEFAULT '',
    "usage_total" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME
);
INSERT INTO "new_api_keys" ("created_at", "created_by", "daily_cap", "id", "key_hash", "name", "permissions", "rate_limit", "revoked_at", "usage_day", "usage_today") SELECT "created_at", "created_by", "daily_cap", "id", "key_hash", "name", "permissions", "rate_limit", "revoked_at", "usage_day", "usage_today" FROM "api_keys";
DROP TABLE "api_keys";
ALTER TABLE "new_api_keys" RENAME TO "api_keys";
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE TABLE "new_webhooks" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "event_filter" TEXT NOT NULL DEFAULT '*',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL DEFAULT 'chat',
    "action_config" TEXT NOT NULL DEFAULT '{}',
    "created_by" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_webhooks" ("created_at", "event_filter", "id", "name", "secret", "url") SELECT "created_at", "event_filter", "id", "name", "secret", "url" FROM "webhooks";
DROP TABLE "webhooks";
ALTER TABLE "new_webhooks" RENAME TO "webhooks";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_id_received_at_idx" ON "webhook_deliveries"("webhook_id", "received_at");
