// Unit tests of the escalation chain's routing rule.
import { describe, expect, it } from 'vitest';
import { nextEscalationTarget } from './escalation-service';

describe('nextEscalationTarget', () => {
  it('routes each link to the next and ends with the operator', () => {
    const chain = ['rex', 'archon', 'operator'];
    expect(nextEscalationTarget(chain, 'rex')).toBe('archon');
    expect(nextEscalationTarget(chain, 'archon')).toBe('operator');
    expect(nextEscalationTarget(chain, 'crucible')).toBe('operator');
    expect(nextEscalationTarget(chain, 'operator')).toBe('operator');
  });

  it('sends agents outside the chain to its last link, and the last link to the operator', () => {
    const chain = ['rex', 'archon'];
    expect(nextEscalationTarget(chain, 'rex')).toBe('archon');
    expect(nextEscalationTarget(chain, 'crucible')).toBe('archon');
    expect(nextEscalationTarget(chain, 'archon')).toBe('operator');
  });

  it('sends everyone to the operator with the default chain', () => {
    expect(nextEscalationTarget(['operator'], 'rex')).toBe('operator');
    expect(nextEscalationTarget(['operator'], 'operator')).toBe('operator');
  });
});
