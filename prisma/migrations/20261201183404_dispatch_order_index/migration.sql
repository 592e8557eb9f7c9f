-- DropIndex
DROP INDEX "tasks_status_priority_created_at_idx";

-- CreateIndex
CREATE INDEX "tasks_dispatch_order_idx" ON "tasks"("status", "priority" DESC, "created_at", "id");
