-- AlterTable
ALTER TABLE "task_attempts" ADD COLUMN "error" TEXT;
