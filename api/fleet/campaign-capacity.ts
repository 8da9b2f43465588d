/** The live figures a campaign plan is checked against: the workers' registered slots and the per-team cap. */
import type { Services } from '../context.ts';

/** Live worker slots (pg-boss's instance registry) and the per-team cap of this deployment. */
export interface LiveCapacity {
  workerSlots: number;
  workers: number;
  teamMaxRunning: number;
}

/** Reads the live workers' slots; a registry that cannot be read counts as no worker. */
export async function liveCapacity(services: Services): Promise<LiveCapacity> {
  const { slots, workers } = await services.queue.capacity().catch(() => ({ slots: 0, workers: 0 }));
  return { workerSlots: slots, workers, teamMaxRunning: services.config.teamMaxRunning };
}
