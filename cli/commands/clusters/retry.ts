/** `kaas clusters retry NAME`: run a failed cluster's failed operation again with the same input. */
import type { Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export async function retryCluster(api: Api, opts: { team?: string | undefined; name: string }): Promise<{ operation: Operation }> {
  return api.trpc.clusters.retry.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name });
}
