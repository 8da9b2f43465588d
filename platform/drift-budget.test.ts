import { describe, expect, it } from 'vitest';
import { driftBudget, driftTickMs } from './drift-budget.ts';

const H = 3600_000;

describe('drift budget', () => {
  it('spreads the checks of every ready cluster over the interval', () => {
    // 10,000 clusters, 6 h interval, a pass every 30 s: 14 a pass, 10,000 in 6 h
    expect(driftBudget({ readyClusters: 10_000, intervalMs: 6 * H, tickMs: 30_000, inFlight: 0, capacity: 100 })).toBe(14);
    expect(driftBudget({ readyClusters: 3, intervalMs: 6 * H, tickMs: 30_000, inFlight: 0, capacity: 100 })).toBe(1);
    expect(driftBudget({ readyClusters: 20, intervalMs: 6 * H, tickMs: 12 * H, inFlight: 0, capacity: 100 })).toBe(20);
  });
  it('never queues more checks than the workers have free slots', () => {
    expect(driftBudget({ readyClusters: 10_000, intervalMs: H, tickMs: 30_000, inFlight: 0, capacity: 4 })).toBe(4);
    expect(driftBudget({ readyClusters: 10_000, intervalMs: H, tickMs: 30_000, inFlight: 3, capacity: 4 })).toBe(1);
    expect(driftBudget({ readyClusters: 10_000, intervalMs: H, tickMs: 30_000, inFlight: 9, capacity: 4 })).toBe(0);
    expect(driftBudget({ readyClusters: 0, intervalMs: H, tickMs: 30_000, inFlight: 0, capacity: 4 })).toBe(0);
  });
  it('passes every 30 s, or a tenth of a short interval', () => {
    expect(driftTickMs(360)).toBe(30_000);
    expect(driftTickMs(1)).toBe(6000);
  });
});
