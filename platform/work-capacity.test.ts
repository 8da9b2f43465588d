import { describe, expect, it } from 'vitest';
import { BACKGROUND_PRIORITY, jobGroup, jobPriority, workerCapacity } from './work-capacity.ts';

const MB = 1024 * 1024;

describe('job placement', () => {
  it("orders user work by rank in its team's line, and background checks after all of it", () => {
    const user = (n: number) => jobPriority({ teamId: 't', background: false, teamQueuedAhead: n });
    expect(user(0)).toBeGreaterThan(user(1));
    expect(user(199)).toBeLessThan(user(0));
    expect(user(10_000_000)).toBeGreaterThan(BACKGROUND_PRIORITY);
    expect(jobPriority({ teamId: 't', background: true, teamQueuedAhead: 0 })).toBe(BACKGROUND_PRIORITY);
    expect(Number.isInteger(user(2.5))).toBe(true);
  });
  it('puts user work in its team group and background checks in none', () => {
    expect(jobGroup({ teamId: 't_1', background: false, teamQueuedAhead: 0 })).toBe('team:t_1');
    expect(jobGroup({ teamId: 't_1', background: true, teamQueuedAhead: 0 })).toBeUndefined();
  });
});

describe('worker capacity', () => {
  it('keeps the configured concurrency when memory holds it', () => {
    expect(workerCapacity(4, 8192 * MB)).toEqual({ concurrency: 4, limitedBy: 'config', configured: 4, availableMb: 8192, perOperationMb: 260 });
  });
  it('lowers it to what the available memory holds at 260 MB an operation, never below one', () => {
    expect(workerCapacity(8, 1000 * MB)).toMatchObject({ concurrency: 3, limitedBy: 'memory' });
    expect(workerCapacity(8, 100 * MB)).toMatchObject({ concurrency: 1, limitedBy: 'memory' });
    expect(workerCapacity(8, 2000 * MB, 500)).toMatchObject({ concurrency: 4, limitedBy: 'memory' });
  });
});
