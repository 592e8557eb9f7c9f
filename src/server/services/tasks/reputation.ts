// Agent reputation by UCB (upper confidence bound) over per-capability outcomes: the mean
// success rate under a neutral Beta(1,1) prior plus an exploration bonus that shrinks as an
// agent is tried more. An agent never tried for a capability scores highest, so new agents
// get work and prove themselves.

export interface OutcomeCounts {
  successes: number;
  failures: number;
}

export const EXPLORATION_WEIGHT = Math.SQRT2;

/** The capability key outcomes are kept under for tasks that require none. */
export const GENERAL_CAPABILITY = '*';

export function ucbScore(outcome: OutcomeCounts | undefined, totalTrials: number, exploration = EXPLORATION_WEIGHT): number {
  const trials = outcome ? outcome.successes + outcome.failures : 0;
  if (!outcome || trials === 0) return Number.POSITIVE_INFINITY;
  const mean = (outcome.successes + 1) / (trials + 2);
  return mean + exploration * Math.sqrt(Math.log(Math.max(totalTrials, 1)) / trials);
}
