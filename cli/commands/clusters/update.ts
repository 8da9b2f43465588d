/** `kaas clusters update NAME --set …`: start an update operation with the changed overrides. */
import type { CostChange, Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function updateCluster(api: Api, opts: { team?: string | undefined; name: string; set: string[] }): Promise<{ operation: Operation; cost: CostChange }> {
  return api.trpc.clusters.update.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, set: opts.set });
}
