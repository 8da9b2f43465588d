/**
 * A campaign's parallelism against the workers that will run it. A campaign starts up to
 * `maxParallel` operations at once, but the queue runs only as many as the live workers have slots
 * (and at most the per-team cap of one team's): the rest wait in the queue, so a wave takes longer
 * than its `maxParallel` promises. Pure; api/fleet/campaign-capacity.ts supplies the live figures.
 */

/** What the plan says about parallelism. */
export interface CampaignCapacity {
  maxParallel: number;
  /** Slots of the live workers, from their registration. */
  workerSlots: number;
  workers: number;
  /** Most operations of one team running at once (`KAAS_TEAM_MAX_RUNNING`). */
  teamMaxRunning: number;
  /** Operations of one wave that can run at once now (0 without a live worker). */
  effectiveParallel: number;
  /** Why fewer run than `maxParallel`, for the operator; null when nothing limits it. */
  note: string | null;
}

/** `largestTeamInWave`: the most clusters one team has in any one wave of the plan. */
export function campaignCapacity(maxParallel: number, live: { workerSlots: number; workers: number; teamMaxRunning: number }, largestTeamInWave: number): CampaignCapacity {
  const { workerSlots, workers, teamMaxRunning } = live;
  const effectiveParallel = Math.min(maxParallel, workerSlots);
  const notes: string[] = [];
  if (workerSlots === 0) notes.push("no live worker is registered: the campaign's operations wait in the queue until a worker starts");
  else if (maxParallel > workerSlots) notes.push(`maxParallel ${maxParallel} > worker capacity ${workerSlots} (${workers} live worker${workers === 1 ? '' : 's'}): waves will run ${workerSlots} at a time`);
  if (maxParallel > teamMaxRunning && largestTeamInWave > teamMaxRunning) notes.push(`one team runs at most ${teamMaxRunning} at a time (KAAS_TEAM_MAX_RUNNING)`);
  return { maxParallel, workerSlots, workers, teamMaxRunning, effectiveParallel, note: notes.length ? notes.join('; ') : null };
}
