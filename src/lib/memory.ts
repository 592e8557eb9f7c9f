// Input schemas and views of the memory.* procedures (agent memory, spec section 14), shared by
// every door, the worker ([REMEMBER] blocks) and the dashboard.
import { z } from 'zod';
import { LIMITS } from './limits';
import { agentIdSchema, boundedText } from './schemas';

export const MEMORY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const MEMORY_SOURCES = ['agent', 'operator', 'consolidation'] as const;
export type MemorySource = (typeof MEMORY_SOURCES)[number];

export const memoryKeySchema = z.string().regex(MEMORY_KEY_PATTERN, 'must match [A-Za-z0-9._:-]{1,128}');
export const memoryValueSchema = boundedText('memoryValueBytes').refine((value) => value.trim().length > 0, 'must not be empty');

/** agentId may be left out by an agent token (its own agent); users and the master name one. */
export const memoryStoreInput = z.object({
  agentId: agentIdSchema.optional(),
  key: memoryKeySchema,
  value: memoryValueSchema,
  confidence: z.number().min(0).max(1).optional(),
  source: z.enum(MEMORY_SOURCES).optional(),
});

export const memoryListInput = z.object({
  agentId: agentIdSchema.optional(),
  limit: z.number().int().min(1).max(LIMITS.listRows).default(100),
});

/** Any text is a valid query (FTS syntax included): it is reduced to words before it is searched. */
export const memorySearchInput = z.object({
  agentId: agentIdSchema.optional(),
  query: boundedText('memoryQueryBytes'),
  limit: z.number().int().min(1).max(100).default(10),
});

export const memoryDeleteInput = z.object({ agentId: agentIdSchema.optional(), key: memoryKeySchema });

export const memoryConsolidationsInput = z.object({
  agentId: agentIdSchema.optional(),
  limit: z.number().int().min(1).max(LIMITS.listRows).default(50),
});

/** Takes no input; unknown fields are refused rather than ignored. */
export const memoryConsolidateInput = z.object({}).strict().optional();

export const memoryInjectedInput = z.object({ taskId: z.string().min(1).max(64) });

export interface MemoryEntryView {
  agentId: string;
  key: string;
  value: string;
  source: MemorySource;
  confidence: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface MemorySearchHit extends MemoryEntryView {
  /** BM25 relevance, higher is better. */
  score: number;
}

export const CONSOLIDATION_ACTIONS = ['merged_duplicate', 'resolved_contradiction', 'corroborated', 'model_merge'] as const;
export type ConsolidationAction = (typeof CONSOLIDATION_ACTIONS)[number];

export interface ReplacedMemory {
  key: string;
  value: string;
  source: MemorySource;
  confidence: number | null;
  updatedAt: string;
}

export interface ConsolidationView {
  id: string;
  runId: string;
  agentId: string;
  action: ConsolidationAction;
  keptKey: string;
  summary: string;
  /** The entries as they were before this change (removed or rewritten). */
  replaced: ReplacedMemory[];
  createdAt: string;
}

export interface ConsolidationRunSummary {
  runId: string;
  merged: number;
  resolved: number;
  corroborated: number;
  modelMerges: number;
  changes: ConsolidationView[];
}

/** The memories the hub placed ahead of one attempt's prompt. */
export interface InjectedMemoriesView {
  taskId: string;
  attempts: { attemptId: string; agentId: string; keys: string[] }[];
}
