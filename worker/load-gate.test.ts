import { describe, expect, it } from 'vitest';
import { LoadGate } from './load-gate';

describe('LoadGate', () => {
  it('pauses once at or over max-load, with the reason, and keeps the reason current', () => {
    const gate = new LoadGate(8);
    expect(gate.update(2)).toBeNull();
    expect(gate.claimingPaused).toBeNull();
    expect(gate.update(7.1)).toBeNull();
    expect(gate.update(8)).toEqual({ paused: true, line: 'load 8 ≥ max-load 8: not claiming' });
    expect(gate.paused).toBe(true);
    // Still over: no second line, but the heartbeat reason follows the reading.
    expect(gate.update(9.456)).toBeNull();
    expect(gate.claimingPaused).toEqual({ reason: 'load 9.46 ≥ max-load 8' });
  });

  it('resumes once when the load drops under max-load', () => {
    const gate = new LoadGate(4);
    gate.update(7.1);
    expect(gate.update(3.99)).toEqual({ paused: false, line: 'load 3.99 < max-load 4: claiming again' });
    expect(gate.paused).toBe(false);
    expect(gate.claimingPaused).toBeNull();
    expect(gate.update(1)).toBeNull();
    expect(gate.update(12)).toEqual({ paused: true, line: 'load 12 ≥ max-load 4: not claiming' });
  });
});
