-- CreateTable
CREATE TABLE "pipelines" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "pipeline_steps" (
    "pipeline_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "task_id" TEXT NOT NULL,

    PRIMARY KEY ("pipeline_id", "position"),
    CONSTRAINT "pipeline_steps_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipelines" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Task dependencies: a counter of unfinished parents, kept by the task engine in the transaction that
-- changes a parent, so the dispatch pass reads only rows at 0 (an index range, no per-row subquery).
-- Hand-written as ADD COLUMN instead of Prisma's table redefinition: that would drop the CHECKs of
-- the first migration and rewrite every task row.
ALTER TABLE "tasks" ADD COLUMN "unfinished_parents" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tasks" ADD COLUMN "blocked_by_task_id" TEXT;
UPDATE "tasks" SET "unfinished_parents" = (
    SELECT COUNT(*) FROM "task_deps" d JOIN "tasks" p ON p."id" = d."parent_task_id"
    WHERE d."child_task_id" = "tasks"."id" AND p."status" <> 'done'
);

-- DropIndex
DROP INDEX "tasks_dispatch_order_idx";

-- CreateIndex
CREATE INDEX "tasks_dispatch_order_idx" ON "tasks"("status", "unfinished_parents", "priority" DESC, "created_at", "id");

-- CreateIndex
CREATE INDEX "pipelines_created_at_idx" ON "pipelines"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_steps_task_id_key" ON "pipeline_steps"("task_id");
