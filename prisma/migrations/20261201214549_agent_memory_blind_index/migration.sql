-- AlterTable
ALTER TABLE "agent_memory" ADD COLUMN "confidence" REAL;
ALTER TABLE "agent_memory" ADD COLUMN "search_rowid" INTEGER;

-- CreateTable
CREATE TABLE "agent_memory_terms" (
    "token" TEXT NOT NULL PRIMARY KEY,
    "docs" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "task_attempt_memories" (
    "attempt_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "memory_key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("attempt_id", "position")
);

-- CreateTable
CREATE TABLE "memory_consolidations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "run_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "kept_key" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "replaced" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "task_attempt_memories_task_id_idx" ON "task_attempt_memories"("task_id");

-- CreateIndex
CREATE INDEX "memory_consolidations_agent_id_created_at_idx" ON "memory_consolidations"("agent_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "agent_memory_search_rowid_key" ON "agent_memory"("search_rowid");

-- ---------------------------------------------------------------------------------------------------
-- Hand-added: the search index of agent memory becomes a blind index. The first migration's
-- agent_memory_fts held plaintext copies of keys and values; nothing ever wrote to it. Its
-- replacement holds only keyed word hashes (HMAC-SHA256 of agent id + normalised word, truncated,
-- as hex tokens; see src/server/memory/blind-index.ts), so the file keeps no memory plaintext, and
-- a query reaches FTS5 only as such tokens. detail=none: no positions (word order stays hidden;
-- whole-word matches are all the hub asks for) and BM25 still ranks. agent_memory.search_rowid
-- names an entry's row here; agent_memory_terms (above) counts the entries each token occurs in.
-- ---------------------------------------------------------------------------------------------------
DROP TABLE IF EXISTS agent_memory_fts;
CREATE VIRTUAL TABLE agent_memory_index USING fts5(tokens, tokenize = 'ascii', detail = none);
