// Agent memory on SQLite: prepared statements on the shared connection, each change and its event
// in one transaction. Values are AES-256-GCM ciphertext bound to (agent, key); the FTS5 table
// agent_memory_index holds only blind-index tokens (see src/server/memory/blind-index.ts), and
// agent_memory.search_rowid links an entry to its index row.
import { newId } from '@/lib/ids';
import type { ConsolidationView, MemoryEntryView, MemorySearchHit, MemorySource, ReplacedMemory } from '@/lib/memory';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import type { EventBus, EventTransaction } from '../../events/event-bus';
import { matchExpressionOf, TOKEN_HEX_LENGTH, type BlindIndex } from '../../memory/blind-index';
import { consolidationContext, memoryValueContext, type MemoryCipher } from '../../memory/memory-cipher';
import type { AttemptInjection, ConsolidationChange, MemoryRepository, StoreMemoryInput } from '../../memory/memory-repository';
import { sqlTime, type SqliteConnection } from './connection';

export interface SqliteMemoryRepositoryDeps {
  connection: SqliteConnection;
  events: EventBus;
  clock: Clock;
  cipher: MemoryCipher;
  index: BlindIndex;
}

interface RawEntry {
  agentId: string;
  key: string;
  value: string;
  source: MemorySource;
  confidence: number | null;
  createdAt: string;
  updatedAt: string;
}

const ENTRY_COLUMNS = 'm.agent_id AS agentId, m.key, m.value, m.source, m.confidence, m.created_at AS createdAt, m.updated_at AS updatedAt';

/**
 * Documents one search scores at most. FTS5's own bm25() reads the whole doclist of every query
 * word to count its documents, so one common word costs O(its documents): at 100,000 memories,
 * hundreds of milliseconds. Instead the hub keeps each token's document count (agent_memory_terms,
 * with per-agent totals), asks FTS5 only for candidate rows, and computes BM25 itself:
 * candidates are every entry holding one of the query's rarer words (rarest first, while their
 * counts stay within this budget); when even the rarest word is in more entries than that, the
 * newest entries holding it. Each candidate is scored on all the query's words.
 */
export const SEARCH_CANDIDATES = 128;
const BM25_K1 = 1.2;
const BM25_B = 0.75;

// Per-agent totals live beside the tokens; '#' never occurs in a hex token.
const documentsCounter = (agentId: string) => `#documents:${agentId}`;
const lengthCounter = (agentId: string) => `#length:${agentId}`;

const memoryScope = (agentId: string) => ({ permission: 'memory:read' as const, agentId });

export class SqliteMemoryRepository implements MemoryRepository {
  constructor(private readonly deps: SqliteMemoryRepositoryDeps) {}

  private get sql() {
    return this.deps.connection;
  }

  private open(row: RawEntry): MemoryEntryView {
    return {
      agentId: row.agentId,
      key: row.key,
      value: this.deps.cipher.decrypt(row.value, memoryValueContext(row.agentId, row.key)),
      source: row.source,
      confidence: row.confidence,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }

  store(input: StoreMemoryInput): Promise<{ entry: MemoryEntryView; created: boolean }> {
    return this.deps.events.transact((tx) => this.writeEntry(tx, input, sqlTime(this.deps.clock.now())));
  }

  storeMany(inputs: StoreMemoryInput[]): Promise<number> {
    return this.deps.events.transact((tx) => {
      const time = sqlTime(this.deps.clock.now());
      for (const input of inputs) this.writeEntry(tx, input, time);
      return inputs.length;
    });
  }

  private writeEntry(tx: EventTransaction, input: StoreMemoryInput, time: string): { entry: MemoryEntryView; created: boolean } {
    const { agentId, key } = input;
    if (this.sql.statement('SELECT 1 FROM agents WHERE id = ?').pluck().get(agentId) === undefined) throw notFound(`agent "${agentId}"`);
    const ciphertext = this.deps.cipher.encrypt(input.value, memoryValueContext(agentId, key));
    const tokens = this.deps.index.documentTokens(agentId, key, input.value);
    const existing = this.sql.statement('SELECT id, search_rowid AS searchRowid, created_at AS createdAt FROM agent_memory WHERE agent_id = ? AND key = ?').get(agentId, key) as
      | { id: string; searchRowid: number | null; createdAt: string }
      | undefined;
    let createdAt = time;
    if (existing) {
      createdAt = existing.createdAt;
      const searchRowid = this.writeIndexRow(agentId, existing.searchRowid, tokens);
      this.sql
        .statement('UPDATE agent_memory SET value = ?, source = ?, confidence = ?, search_rowid = ?, updated_at = ? WHERE id = ?')
        .run(ciphertext, input.source, input.confidence, searchRowid, time, existing.id);
    } else {
      const searchRowid = this.writeIndexRow(agentId, null, tokens);
      this.sql
        .statement('INSERT INTO agent_memory (id, agent_id, key, value, source, confidence, search_rowid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(newId(this.deps.clock.now().getTime()), agentId, key, ciphertext, input.source, input.confidence, searchRowid, time, time);
    }
    tx.emit('memory_stored', { agentId, key, source: input.source, created: !existing }, memoryScope(agentId));
    return {
      entry: {
        agentId,
        key,
        value: input.value,
        source: input.source,
        confidence: input.confidence,
        createdAt: new Date(createdAt).toISOString(),
        updatedAt: new Date(time).toISOString(),
      },
      created: !existing,
    };
  }

  private writeIndexRow(agentId: string, rowid: number | null, tokens: string): number {
    if (rowid !== null) {
      const previous = this.sql.statement('SELECT tokens FROM agent_memory_index WHERE rowid = ?').pluck().get(rowid) as string | undefined;
      if (previous !== undefined) {
        this.countTerms(agentId, previous, -1);
        this.sql.statement('UPDATE agent_memory_index SET tokens = ? WHERE rowid = ?').run(tokens, rowid);
        this.countTerms(agentId, tokens, 1);
        return rowid;
      }
    }
    const inserted = Number(this.sql.statement('INSERT INTO agent_memory_index (tokens) VALUES (?)').run(tokens).lastInsertRowid);
    this.countTerms(agentId, tokens, 1);
    return inserted;
  }

  private deleteIndexRow(agentId: string, rowid: number): void {
    const previous = this.sql.statement('SELECT tokens FROM agent_memory_index WHERE rowid = ?').pluck().get(rowid) as string | undefined;
    if (previous === undefined) return;
    this.countTerms(agentId, previous, -1);
    this.sql.statement('DELETE FROM agent_memory_index WHERE rowid = ?').run(rowid);
  }

  /** Keeps agent_memory_terms' per-token document counts in step with one index row. */
  private countTerms(agentId: string, tokens: string, delta: 1 | -1): void {
    const words = tokens.split(' ').filter((token) => token !== '');
    const distinct = new Set(words);
    const addTo = this.sql.statement('INSERT INTO agent_memory_terms (token, docs) VALUES (?, ?) ON CONFLICT (token) DO UPDATE SET docs = docs + excluded.docs');
    addTo.run(documentsCounter(agentId), delta);
    addTo.run(lengthCounter(agentId), delta * words.length);
    if (delta > 0) {
      for (const token of distinct) addTo.run(token, 1);
      return;
    }
    const subtract = this.sql.statement('UPDATE agent_memory_terms SET docs = docs - 1 WHERE token = ?');
    const prune = this.sql.statement('DELETE FROM agent_memory_terms WHERE token = ? AND docs <= 0');
    for (const token of distinct) {
      subtract.run(token);
      prune.run(token);
    }
  }

  delete(agentId: string, key: string): Promise<boolean> {
    return this.deps.events.transact((tx) => this.removeEntry(tx, agentId, key));
  }

  private removeEntry(tx: EventTransaction, agentId: string, key: string): boolean {
    const row = this.sql.statement('SELECT id, search_rowid AS searchRowid FROM agent_memory WHERE agent_id = ? AND key = ?').get(agentId, key) as
      | { id: string; searchRowid: number | null }
      | undefined;
    if (!row) return false;
    if (row.searchRowid !== null) this.deleteIndexRow(agentId, row.searchRowid);
    this.sql.statement('DELETE FROM agent_memory WHERE id = ?').run(row.id);
    tx.emit('memory_deleted', { agentId, key }, memoryScope(agentId));
    return true;
  }

  list(agentId: string, limit: number): Promise<MemoryEntryView[]> {
    return this.sql.read(() => {
      const rows = this.sql.statement(`SELECT ${ENTRY_COLUMNS} FROM agent_memory m WHERE m.agent_id = ? ORDER BY m.updated_at DESC, m.key LIMIT ?`).all(agentId, limit) as RawEntry[];
      return rows.map((row) => this.open(row));
    });
  }

  search(agentId: string, query: string, limit: number): Promise<MemorySearchHit[]> {
    return this.sql.read(() => this.searchInTransaction(agentId, query, limit));
  }

  searchInTransaction(agentId: string, text: string, limit: number): MemorySearchHit[] {
    const count = this.sql.statement('SELECT docs FROM agent_memory_terms WHERE token = ?').pluck();
    // An agent with no memories (most claims of a fresh mesh) costs one lookup, not a hash per word.
    const totalDocuments = (count.get(documentsCounter(agentId)) as number | undefined) ?? 0;
    if (totalDocuments <= 0) return [];
    const terms = this.deps.index
      .queryTokens(agentId, text)
      .map((token) => ({ token, documents: (count.get(token) as number | undefined) ?? 0 }))
      .filter((term) => term.documents > 0)
      .sort((a, b) => a.documents - b.documents);
    if (terms.length === 0) return [];
    const chosen: string[] = [];
    let postings = 0;
    for (const term of terms) {
      if (chosen.length > 0 && postings + term.documents > SEARCH_CANDIDATES) break;
      chosen.push(term.token);
      postings += term.documents;
    }
    const candidates = this.sql
      .statement('SELECT rowid, tokens FROM agent_memory_index WHERE agent_memory_index MATCH ? ORDER BY rowid DESC LIMIT ?')
      .all(matchExpressionOf(chosen), SEARCH_CANDIDATES) as { rowid: number; tokens: string }[];

    const averageLength = Math.max(1, ((count.get(lengthCounter(agentId)) as number | undefined) ?? 1) / totalDocuments);
    const weights = new Map(terms.map((term) => [term.token, Math.log(1 + (totalDocuments - term.documents + 0.5) / (term.documents + 0.5))]));
    const stride = TOKEN_HEX_LENGTH + 1;
    const scored = candidates.map((candidate) => {
      // Tokens are fixed-width hex joined by single spaces: length and words come without a split.
      const length = Math.ceil(candidate.tokens.length / stride);
      const frequencies = new Map<string, number>();
      for (let offset = 0; offset < candidate.tokens.length; offset += stride) {
        const word = candidate.tokens.slice(offset, offset + TOKEN_HEX_LENGTH);
        if (weights.has(word)) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
      }
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * length) / averageLength);
      let score = 0;
      for (const [token, frequency] of frequencies) score += weights.get(token)! * ((frequency * (BM25_K1 + 1)) / (frequency + norm));
      return { rowid: candidate.rowid, score };
    });
    scored.sort((a, b) => b.score - a.score || b.rowid - a.rowid);

    const entry = this.sql.statement(`SELECT ${ENTRY_COLUMNS} FROM agent_memory m WHERE m.search_rowid = ? AND m.agent_id = ?`);
    const hits: MemorySearchHit[] = [];
    for (const { rowid, score } of scored) {
      if (hits.length >= limit) break;
      const row = entry.get(rowid, agentId) as RawEntry | undefined;
      if (row) hits.push({ ...this.open(row), score });
    }
    return hits;
  }

  recordInjectionInTransaction(injection: AttemptInjection): void {
    const insert = this.sql.statement('INSERT INTO task_attempt_memories (attempt_id, task_id, agent_id, memory_key, position) VALUES (?, ?, ?, ?, ?)');
    injection.keys.forEach((key, position) => insert.run(injection.attemptId, injection.taskId, injection.agentId, key, position));
  }

  injectedForTask(taskId: string): Promise<Omit<AttemptInjection, 'taskId'>[]> {
    return this.sql.read(() => {
      const rows = this.sql
        .statement('SELECT attempt_id AS attemptId, agent_id AS agentId, memory_key AS key FROM task_attempt_memories WHERE task_id = ? ORDER BY attempt_id, position')
        .all(taskId) as { attemptId: string; agentId: string; key: string }[];
      const byAttempt = new Map<string, { attemptId: string; agentId: string; keys: string[] }>();
      for (const row of rows) {
        let attempt = byAttempt.get(row.attemptId);
        if (!attempt) byAttempt.set(row.attemptId, (attempt = { attemptId: row.attemptId, agentId: row.agentId, keys: [] }));
        attempt.keys.push(row.key);
      }
      return [...byAttempt.values()];
    });
  }

  all(): Promise<MemoryEntryView[]> {
    return this.sql.read(() => {
      const rows = this.sql.statement(`SELECT ${ENTRY_COLUMNS} FROM agent_memory m ORDER BY m.agent_id, m.key`).all() as RawEntry[];
      return rows.map((row) => this.open(row));
    });
  }

  applyConsolidation(runId: string, changes: ConsolidationChange[]): Promise<ConsolidationView[]> {
    return this.deps.events.transact((tx) => {
      const now = this.deps.clock.now();
      const time = sqlTime(now);
      const applied: ConsolidationView[] = [];
      const perAgent = new Map<string, number>();
      for (const change of changes) {
        if (!change.replaced.every((entry) => this.unchangedSince(change.agentId, entry))) continue;
        for (const key of change.remove) this.removeEntry(tx, change.agentId, key);
        if (change.write) this.writeEntry(tx, { agentId: change.agentId, ...change.write }, time);
        const id = newId(now.getTime());
        this.sql
          .statement('INSERT INTO memory_consolidations (id, run_id, agent_id, action, kept_key, summary, replaced, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(id, runId, change.agentId, change.action, change.keptKey, change.summary, this.deps.cipher.encrypt(JSON.stringify(change.replaced), consolidationContext(id)), time);
        applied.push({ id, runId, agentId: change.agentId, action: change.action, keptKey: change.keptKey, summary: change.summary, replaced: change.replaced, createdAt: now.toISOString() });
        perAgent.set(change.agentId, (perAgent.get(change.agentId) ?? 0) + 1);
      }
      for (const [agentId, count] of perAgent) tx.emit('memory_consolidated', { runId, agentId, changes: count }, memoryScope(agentId));
      return applied;
    });
  }

  private unchangedSince(agentId: string, entry: ReplacedMemory): boolean {
    const updatedAt = this.sql.statement('SELECT updated_at FROM agent_memory WHERE agent_id = ? AND key = ?').pluck().get(agentId, entry.key) as string | undefined;
    return updatedAt !== undefined && new Date(updatedAt).toISOString() === entry.updatedAt;
  }

  consolidations(agentId: string | undefined, limit: number): Promise<ConsolidationView[]> {
    return this.sql.read(() => {
      const columns = 'id, run_id AS runId, agent_id AS agentId, action, kept_key AS keptKey, summary, replaced, created_at AS createdAt';
      const rows = (
        agentId === undefined
          ? this.sql.statement(`SELECT ${columns} FROM memory_consolidations ORDER BY created_at DESC, id DESC LIMIT ?`).all(limit)
          : this.sql.statement(`SELECT ${columns} FROM memory_consolidations WHERE agent_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`).all(agentId, limit)
      ) as (Omit<ConsolidationView, 'replaced'> & { replaced: string })[];
      return rows.map((row) => ({
        ...row,
        createdAt: new Date(row.createdAt).toISOString(),
        replaced: JSON.parse(this.deps.cipher.decrypt(row.replaced, consolidationContext(row.id))) as ReplacedMemory[],
      }));
    });
  }
}
