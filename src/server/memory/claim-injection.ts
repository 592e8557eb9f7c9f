// Auto-inject (spec section 14): when an agent claims a task, its memories that best match the
// task's title and prompt go ahead of the prompt in a [MEMORY] block (at most K, at most 4 KB),
// and the keys are recorded for the attempt in the claim's transaction (the task detail shows them).
import { LIMITS } from '@/lib/limits';
import type { ClaimPromptInjector } from '../tasks/claim-prompt';
import { formatMemoryBlock } from './memory-block';
import type { MemoryRepository } from './memory-repository';

export function memoryClaimInjector(repository: MemoryRepository, topK: number): ClaimPromptInjector {
  return (claim) => {
    if (topK <= 0) return claim.prompt;
    const hits = repository.searchInTransaction(claim.agentId, `${claim.title}\n${claim.prompt}`, topK);
    if (hits.length === 0) return claim.prompt;
    const { block, keys } = formatMemoryBlock(hits, LIMITS.memoryInjectBytes);
    if (keys.length === 0) return claim.prompt;
    repository.recordInjectionInTransaction({ attemptId: claim.attemptId, taskId: claim.taskId, agentId: claim.agentId, keys });
    return block + claim.prompt;
  };
}
