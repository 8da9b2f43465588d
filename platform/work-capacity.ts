/**
 * Fair, bounded work: the rules that decide in which order the operation queue hands jobs out and
 * how many a worker runs at once. Pure; api/queue/operation-queue.ts turns them into pg-boss job
 * options (`priority`, `group`) and worker options (`localConcurrency`, `groupConcurrency`).
 *
 * pg-boss fetches the job with the highest `priority`, then the oldest (pg-boss/dist/plans.js@12.38
 * `fetchNextJob`: `ORDER BY j.priority desc, j.created_on`), skipping jobs whose group already has
 * `groupConcurrency` jobs active across every worker.
 */

/** Memory one concurrent operation costs (Pulumi CLI + provider plugin), measured on a sim create (issue 14: ~260 MB). */
export const OPERATION_MEMORY_MB = 260;

/** Jobs ahead of a new one in its team's line beyond which the order no longer changes. */
const MAX_RANK = 999_999;

/** Scheduled background checks (drift) sit below every user operation. */
export const BACKGROUND_PRIORITY = -(MAX_RANK + 1);

/** What the queue needs to know to place an operation's job. */
export interface JobPlacement {
  teamId: string;
  /** A scheduled background check (drift), not a person's request. */
  background: boolean;
  /** The team's operations already waiting in the queue when this one is queued. */
  teamQueuedAhead: number;
}

/**
 * The pg-boss priority of an operation's job. User work is ordered by its rank in its team's line
 * (the team's n-th waiting job gets -n), so teams take turns: one team's 200 creates are ranks
 * 0..199 and another team's single update, rank 0, is handed out next. Background checks come after
 * every user operation, oldest first.
 */
export function jobPriority(placement: JobPlacement): number {
  if (placement.background) return BACKGROUND_PRIORITY;
  return -Math.min(Math.max(0, Math.floor(placement.teamQueuedAhead)), MAX_RANK);
}

/** The pg-boss group a job counts against for the per-team cap; background checks count against none. */
export function jobGroup(placement: JobPlacement): string | undefined {
  return placement.background ? undefined : `team:${placement.teamId}`;
}

/** How many operations one worker process runs at once, and what decided it. */
export interface WorkerCapacity {
  concurrency: number;
  limitedBy: 'config' | 'memory';
  configured: number;
  availableMb: number;
  perOperationMb: number;
}

/**
 * The worker-wide cap: the configured concurrency, lowered to what the memory available to the
 * process holds at `perOperationMb` each (never below one, so a small machine still works, slowly).
 */
export function workerCapacity(configured: number, availableBytes: number, perOperationMb = OPERATION_MEMORY_MB): WorkerCapacity {
  const availableMb = Math.floor(availableBytes / (1024 * 1024));
  const byMemory = Math.max(1, Math.floor(availableMb / perOperationMb));
  const concurrency = Math.min(configured, byMemory);
  return { concurrency, limitedBy: byMemory < configured ? 'memory' : 'config', configured, availableMb, perOperationMb };
}
