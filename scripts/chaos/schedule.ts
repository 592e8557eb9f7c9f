// When the kills happen: spread over the run by progress (a fraction of the tasks finished), and a seeded random choice of worker.

export interface PlannedKill {
  kind: 'hub' | 'worker';
  /** Fire once this share of the tasks has finished. */
  atFraction: number;
}

/** Hub kills at i/(K+1), worker kills at (j+0.5)/W of the run, so neither kind bunches up; sorted by time. */
export function planKills(hubKills: number, workerKills: number): PlannedKill[] {
  const plan: PlannedKill[] = [];
  for (let i = 1; i <= hubKills; i += 1) plan.push({ kind: 'hub', atFraction: i / (hubKills + 1) });
  // Kept inside 5–90 %: the first tasks must be flowing and the last kill needs tasks left to interrupt.
  for (let j = 0; j < workerKills; j += 1) plan.push({ kind: 'worker', atFraction: 0.05 + (0.85 * (j + 0.5)) / workerKills });
  return plan.sort((a, b) => a.atFraction - b.atFraction);
}

/** mulberry32: a small seeded generator, so a run can be repeated with --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
