/** One GKE node pool per spec pool: autoscaling, labels, taints, surge upgrades, Workload Identity metadata. */
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { NodePoolSpec, TaintEffect } from '../../platform/cluster-spec.ts';

const GKE_TAINT_EFFECT: Record<TaintEffect, string> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

export function gkeNodePool(
  pool: NodePoolSpec,
  args: {
    project: string;
    location: string;
    cluster: pulumi.Input<string>;
    version: pulumi.Input<string>;
    nodeServiceAccount: pulumi.Input<string>;
    privateNodes: boolean;
    autoUpgrade: boolean;
    labels: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): gcp.container.NodePool {
  return new gcp.container.NodePool(pool.name, {
    name: pool.name,
    project: args.project,
    location: args.location,
    cluster: args.cluster,
    version: args.version,
    initialNodeCount: pool.desiredSize,
    autoscaling: { minNodeCount: pool.minSize, maxNodeCount: pool.maxSize },
    management: { autoRepair: true, autoUpgrade: args.autoUpgrade },
    upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
    networkConfig: { enablePrivateNodes: args.privateNodes },
    nodeConfig: {
      machineType: pool.machineType,
      serviceAccount: args.nodeServiceAccount,
      oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      labels: pool.labels,
      taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: GKE_TAINT_EFFECT[t.effect] })),
      resourceLabels: args.labels,
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    },
  }, { ...opts, ignoreChanges: ['initialNodeCount'] });
}
