import { describe, expect, it } from 'vitest';
import { ucbScore } from './reputation';

describe('ucbScore', () => {
  it('ranks an untried agent first, then the more successful one once both are tried', () => {
    const tried = { successes: 5, failures: 0 };
    expect(ucbScore(undefined, 5)).toBeGreaterThan(ucbScore(tried, 5));
    const weak = { successes: 0, failures: 3 };
    expect(ucbScore(tried, 8)).toBeGreaterThan(ucbScore(weak, 8));
  });

  it('gives a neutral prior: one success in one try is not certainty', () => {
    expect(ucbScore({ successes: 1, failures: 0 }, 1)).toBeCloseTo(2 / 3);
  });
});
