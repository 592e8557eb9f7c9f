import { describe, expect, it } from 'vitest';
import type { MemoryEntryView } from '@/lib/memory';
import { planConsolidation } from './consolidation';

let clock = 0;
function entry(agentId: string, key: string, value: string, confidence: number | null = null): MemoryEntryView {
  clock += 1000;
  const at = new Date(Date.UTC(2026, 0, 1) + clock).toISOString();
  return { agentId, key, value, source: 'agent', confidence, createdAt: at, updatedAt: at };
}

describe('planConsolidation', () => {
  it('changes nothing when there is nothing to consolidate', () => {
    expect(planConsolidation([entry('rex', 'a', 'one'), entry('rex', 'b', 'two'), entry('jules', 'a', 'three')])).toEqual([]);
  });

  it('resolves a contradiction by confidence when it differs, else by the later entry', () => {
    const byTime = planConsolidation([entry('rex', 'Deploy-Day', 'Friday'), entry('rex', 'deploy.day', 'Tuesday')]);
    expect(byTime).toMatchObject([{ action: 'resolved_contradiction', keptKey: 'deploy.day', remove: ['Deploy-Day'] }]);
    const byConfidence = planConsolidation([entry('rex', 'db', 'postgres', 0.9), entry('rex', 'DB', 'mysql', 0.2)]);
    expect(byConfidence).toMatchObject([{ action: 'resolved_contradiction', keptKey: 'db', remove: ['DB'] }]);
    // No confidence counts as 0.5: a sure 0.8 beats a later entry without one.
    const unset = planConsolidation([entry('rex', 'x.y', 'old', 0.8), entry('rex', 'x_y', 'new')]);
    expect(unset).toMatchObject([{ keptKey: 'x.y' }]);
  });

  it('merges the same fact under different keys into the oldest key, with the highest confidence', () => {
    const [change] = planConsolidation([entry('rex', 'first', 'The API: api.example.com', 0.3), entry('rex', 'second', 'the api api example com', 0.7)]);
    expect(change).toMatchObject({ action: 'merged_duplicate', keptKey: 'first', remove: ['second'], write: { key: 'first', confidence: 0.7, source: 'agent' } });
    expect(change!.replaced.map((replaced) => replaced.key)).toEqual(['first', 'second']);
  });

  it('makes a fact two agents hold a consolidated entry for each, folding into a merge of the same entry', () => {
    const changes = planConsolidation([
      entry('rex', 'hq', 'Office in Lisbon', 0.6),
      entry('rex', 'office', 'office in lisbon'),
      entry('jules', 'where', 'OFFICE IN LISBON', 0.9),
    ]);
    const rexChange = changes.find((change) => change.agentId === 'rex')!;
    expect(rexChange).toMatchObject({ action: 'merged_duplicate', keptKey: 'hq', write: { source: 'consolidation', confidence: 0.9 } });
    expect(rexChange.summary).toContain('also held by jules');
    expect(changes.find((change) => change.agentId === 'jules')).toMatchObject({ action: 'corroborated', write: { source: 'consolidation', confidence: 0.9 } });
    expect(changes).toHaveLength(2);
  });

  it('leaves consolidated entries that are already up to date alone', () => {
    const held = [entry('rex', 'hq', 'Lisbon', 0.9), entry('jules', 'hq', 'Lisbon', 0.9)].map((item) => ({ ...item, source: 'consolidation' as const }));
    expect(planConsolidation(held)).toEqual([]);
  });
});
