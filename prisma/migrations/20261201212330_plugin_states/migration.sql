-- CreateTable
CREATE TABLE "plugin_states" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "invocations" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_error_at" DATETIME,
    "last_invoked_at" DATETIME,
    "updated_at" DATETIME NOT NULL
);
