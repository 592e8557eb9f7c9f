// The storage contract of agent memory. Memory search runs on every claim, so it is raw SQL on
// the hot path (src/server/db/sqlite/memory-repository.ts); a PostgreSQL build implements the same
// interface. Implementations encrypt values and keep the blind index; callers see plaintext.
import type { ConsolidationAction, ConsolidationView, MemoryEntryView, MemorySearchHit, MemorySource, ReplacedMemory } from '@/lib/memory';

export interface StoreMemoryInput {
  agentId: string;
  key: string;
  value: string;
  source: MemorySource;
  confidence: number | null;
}

/** One change of a consolidation pass, applied only if every replaced entry is unchanged since it was read. */
export interface ConsolidationChange {
  agentId: string;
  action: ConsolidationAction;
  keptKey: string;
  summary: string;
  /** The entries as read (removed or rewritten); their updatedAt guards against a store in between. */
  replaced: ReplacedMemory[];
  /** Keys removed. */
  remove: string[];
  /** The kept entry's new state, when it changes. */
  write?: { key: string; value: string; source: MemorySource; confidence: number | null };
}

export interface AttemptInjection {
  attemptId: string;
  taskId: string;
  agentId: string;
  keys: string[];
}

export interface MemoryRepository {
  /** Creates or replaces the agent's entry under that key (one memory_stored event). Not found: the agent. */
  store(input: StoreMemoryInput): Promise<{ entry: MemoryEntryView; created: boolean }>;
  /** Several stores in one transaction (imports, the benchmark's seeding); one event each. */
  storeMany(inputs: StoreMemoryInput[]): Promise<number>;
  /** False when there was no such entry. */
  delete(agentId: string, key: string): Promise<boolean>;
  /** The agent's entries, most recently updated first. */
  list(agentId: string, limit: number): Promise<MemoryEntryView[]>;
  /** Best matches first; any query text is valid (no searchable word: an empty list). */
  search(agentId: string, query: string, limit: number): Promise<MemorySearchHit[]>;
  /**
   * The same search, synchronously, for a caller already inside a transaction of the shared
   * connection (the claim, which injects memories into the prompt it hands out).
   */
  searchInTransaction(agentId: string, text: string, limit: number): MemorySearchHit[];
  /** Records which memories went into an attempt's prompt (inside the claim's transaction). */
  recordInjectionInTransaction(injection: AttemptInjection): void;
  /** Per attempt of the task, oldest first, the injected keys. */
  injectedForTask(taskId: string): Promise<Omit<AttemptInjection, 'taskId'>[]>;
  /** Every entry of every agent (consolidation reads them all). */
  all(): Promise<MemoryEntryView[]>;
  /** Applies the changes that still hold in one transaction, logs each; returns what was applied. */
  applyConsolidation(runId: string, changes: ConsolidationChange[]): Promise<ConsolidationView[]>;
  /** The consolidation log, newest first; one agent's or everyone's. */
  consolidations(agentId: string | undefined, limit: number): Promise<ConsolidationView[]>;
}
