/** One GKE node pool per spec pool: autoscaling, labels, taints, surge upgrades, Workload Identity metadata. */
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { NodePoolSpec, TaintEffect } from '../../platform/cluster-spec.ts';
import { gkeUpgradeSettings } from '../../platform/pool-surge.ts';

const GKE_TAINT_EFFECT: Record<TaintEffect, string> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/**
 * Zones a regional GKE node pool spans: GKE replicates a regional cluster's pools across three
 * zones of the region by default (https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
 */
export const GKE_REGIONAL_ZONES = 3;

/**
 * One node pool. The spec's sizes are pool totals; GKE's `initialNodeCount` and
 * `min/maxNodeCount` are per zone (NodePoolAutoscaling: "for one location"), so the pool uses the
 * `total*NodeCount` limits and the initial count divided over the zones, rounded up.
 */
export function gkeNodePool(
  pool: NodePoolSpec & { fixedSize?: boolean },
  args: {
    project: string;
    location: string;
    cluster: pulumi.Input<string>;
    /** Pinned node version; undefined on a release channel (auto-upgrade owns it). */
    version: pulumi.Input<string> | undefined;
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
    ...(args.version === undefined ? {} : { version: args.version }),
    initialNodeCount: Math.ceil(pool.desiredSize / GKE_REGIONAL_ZONES),
    // a cordoned kept blue-green generation has a size kaas sets (0 after the drain): `nodeCount`
    // (per zone), which "should not be used alongside autoscaling", so no autoscaling block then
    ...(pool.fixedSize
      ? { nodeCount: Math.ceil(pool.desiredSize / GKE_REGIONAL_ZONES) }
      : { autoscaling: { totalMinNodeCount: pool.minSize, totalMaxNodeCount: pool.maxSize, locationPolicy: 'BALANCED' } }),
    management: { autoRepair: true, autoUpgrade: args.autoUpgrade },
    upgradeSettings: gkeUpgradeSettings(pool.surge),
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
