/**
 * How fast an operation whose worker died (SIGKILL, a lost node) moves to another worker: the
 * queue's own timings, in one place. pg-boss fails a job whose heartbeat lapsed in its
 * supervisor's monitor pass, re-queues it after the retry delay, and a worker finds the retry by
 * polling (pg-boss@12.38 dist/plans.js `heartbeatLost`, `failJobsBody`; dist/boss.js `#monitor`).
 * Fencing (api/worker/attempt-lease.ts) keeps a worker that was only slow from writing after the
 * takeover, and pg-boss aborts its job signal when its heartbeat finds the claim gone.
 */

/** The queue settings that decide the takeover time. */
export interface TakeoverSettings {
  /** A job whose heartbeat is older than this is failed (pg-boss minimum: 10). */
  heartbeatSeconds: number;
  /** How often a running job's heartbeat is written: three chances before it lapses. */
  heartbeatRefreshSeconds: number;
  /** pg-boss supervisor timer. */
  superviseIntervalSeconds: number;
  /** Minimum time between two monitor passes of a queue (across all processes). */
  monitorIntervalSeconds: number;
  /** First retry delay (doubling with jitter), and its cap. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** How often an idle worker looks for retried jobs (NOTIFY only announces new ones). */
  pollingIntervalSeconds: number;
}

/**
 * The platform's settings: a dead worker's operation is taken over within 26 s. The heartbeat
 * keeps 15 s (five refreshes) rather than pg-boss's minimum of 10: on a CPU-starved host (the
 * fleet test at load 40 on 2 cores) a 10 s heartbeat lapsed under live workers, costing an
 * attempt that Pulumi's stack lock then refused.
 */
export const TAKEOVER: Readonly<TakeoverSettings> = Object.freeze({
  heartbeatSeconds: 15,
  heartbeatRefreshSeconds: 3,
  superviseIntervalSeconds: 2,
  monitorIntervalSeconds: 2,
  retryDelaySeconds: 1,
  retryDelayMaxSeconds: 5,
  pollingIntervalSeconds: 2,
});

/**
 * The worst-case seconds from a worker's death to another worker taking its job: the heartbeat
 * lapses, then the next monitor pass (a supervise tick at least `monitorIntervalSeconds` after the
 * last pass: at most monitor + supervise), then the capped retry delay, then one poll.
 */
export function takeoverBoundSeconds(s: TakeoverSettings): number {
  return s.heartbeatSeconds + s.monitorIntervalSeconds + s.superviseIntervalSeconds + s.retryDelayMaxSeconds + s.pollingIntervalSeconds;
}
