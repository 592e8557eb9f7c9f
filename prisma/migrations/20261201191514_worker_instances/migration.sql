-- AlterTable
ALTER TABLE "agents" ADD COLUMN "claiming_paused" TEXT;
ALTER TABLE "agents" ADD COLUMN "instance_id" TEXT;

-- AlterTable
ALTER TABLE "task_attempts" ADD COLUMN "instance_id" TEXT;

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN "handed_off_by" TEXT;
