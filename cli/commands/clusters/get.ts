/** `kaas clusters get NAME`: the cluster and its recent operations. */
import type { Cluster, Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export interface ClusterDetails {
  cluster: Cluster;
  operations: Operation[];
}

export async function getCluster(api: Api, opts: { team?: string | undefined; name: string; includeDeleted?: boolean }): Promise<ClusterDetails> {
  return api.trpc.clusters.get.query({ ...(opts.team ? { team: opts.team } : {}), name: opts.name, includeDeleted: opts.includeDeleted ?? false });
}
