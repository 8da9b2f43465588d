/**
 * `kaas clusters rollback NAME [--plan]`: return the cluster's blue-green node pools to their
 * previous generation while the rollback window is open. Control planes are never rolled back.
 */
import type { Api } from '../../client.ts';

export async function rollbackCluster(api: Api, opts: { team?: string | undefined; name: string; planOnly: boolean }) {
  return api.trpc.clusters.rollback.mutate({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, planOnly: opts.planOnly });
}
