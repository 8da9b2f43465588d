/**
 * How many scheduled drift checks one pass of the drift schedule may start. Pure; the schedule
 * (api/worker/drift-schedule.ts) supplies the counts from PostgreSQL and the live workers' slots.
 *
 * Checks are spread over the interval: a pass starts no more than the steady rate that checks every
 * ready cluster once per interval (a freshly started fleet of 10,000 due clusters is worked off over
 * one interval, not queued at once), and never more than the workers' free slots, so the queue never
 * holds more background checks than the workers can run.
 */
export interface DriftBudgetInput {
  /** Live clusters in `ready`. */
  readyClusters: number;
  intervalMs: number;
  /** Time between two passes. */
  tickMs: number;
  /** Scheduled checks queued or running now. */
  inFlight: number;
  /** Slots of the live workers. */
  capacity: number;
}

/** Checks the pass may start now (0 when the workers are full of checks). */
export function driftBudget(input: DriftBudgetInput): number {
  if (input.readyClusters <= 0 || input.intervalMs <= 0) return 0;
  const rate = Math.ceil((input.readyClusters * Math.min(input.tickMs, input.intervalMs)) / input.intervalMs);
  return Math.max(0, Math.min(rate, input.capacity - input.inFlight));
}

/** Time between passes: often enough that a 2-core worker's ~2,000 checks an hour flow (issue 14), at most a tenth of the interval. */
export function driftTickMs(intervalMinutes: number): number {
  return Math.max(1000, Math.min(30_000, (intervalMinutes * 60_000) / 10));
}
