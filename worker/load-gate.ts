// The load gate: no claims while the machine's 1-minute load average is at or over --max-load.
// It must never hold a worker back silently: it says once when it pauses claiming and why, once
// when it resumes, and the worker reports the pause in every heartbeat (`claimingPaused`) so the
// hub assigns the agent nothing meanwhile and the dashboard can show why.

export interface LoadGateChange {
  paused: boolean;
  /** The line to log for the change. */
  line: string;
}

/** Up to two decimals, no trailing zeros: 7.1, 8, 0.35. */
function formatLoad(value: number): string {
  return String(Number(value.toFixed(2)));
}

export class LoadGate {
  private reason: string | null = null;

  constructor(private readonly maxLoad: number) {}

  /** What a heartbeat sends: why claiming is paused, or null. */
  get claimingPaused(): { reason: string } | null {
    return this.reason === null ? null : { reason: this.reason };
  }

  get paused(): boolean {
    return this.reason !== null;
  }

  /** Takes a fresh load reading; returns the change when the gate opened or closed, else null. */
  update(load: number): LoadGateChange | null {
    if (load >= this.maxLoad) {
      const wasPaused = this.reason !== null;
      // Kept current, so heartbeats carry the latest reading.
      this.reason = `load ${formatLoad(load)} ≥ max-load ${formatLoad(this.maxLoad)}`;
      return wasPaused ? null : { paused: true, line: `${this.reason}: not claiming` };
    }
    if (this.reason === null) return null;
    this.reason = null;
    return { paused: false, line: `load ${formatLoad(load)} < max-load ${formatLoad(this.maxLoad)}: claiming again` };
  }
}
