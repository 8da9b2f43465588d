/** `kaas clusters create NAME --template T`: request a cluster; returns it with its create operation. */
import type { Cluster, CostEstimateView, Operation } from '../../api-types.ts';
import type { Api } from '../../client.ts';

export interface CreateClusterOptions {
  team?: string | undefined;
  name: string;
  template: string;
  target?: string | undefined;
  set: string[];
  labels: Record<string, string>;
  /** Time-to-live (`3d`); default: the template's. */
  ttl?: string | undefined;
}

export interface ClusterWithOperation {
  cluster: Cluster;
  operation: Operation;
  /** The estimated monthly cost, with the source and date of the prices. */
  cost: CostEstimateView;
}

export async function createCluster(api: Api, opts: CreateClusterOptions): Promise<ClusterWithOperation> {
  return api.trpc.clusters.create.mutate({
    ...(opts.team ? { team: opts.team } : {}),
    name: opts.name,
    template: opts.template,
    ...(opts.target ? { target: opts.target } : {}),
    set: opts.set,
    labels: opts.labels,
    ...(opts.ttl ? { ttl: opts.ttl } : {}),
  });
}
