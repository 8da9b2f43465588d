/**
 * AKS agent pools: the system pool (inline in the managed cluster, which AKS requires at creation)
 * and one user pool per remaining spec pool, all autoscaled with labels, taints and max-surge.
 */
import * as azure from '@pulumi/azure-native';
import type * as pulumi from '@pulumi/pulumi';
import type { NodePoolSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { aksPoolName } from './pool-name.ts';
import { aksUpgradeSettings } from '../../platform/pool-surge.ts';

export { aksPoolName, assertDistinctPoolNames } from './pool-name.ts';

/** Settings shared by the system and user pools of one cluster. */
export interface AgentPoolCommon {
  clusterVersion: string;
  publicNodeIps: boolean;
  vnetSubnetId: string | undefined;
  tags: Record<string, string>;
}

/** Which spec pool becomes the AKS system pool: the one named `system`, else the first. */
export function systemPoolOf(pools: NodePoolSpec[]): NodePoolSpec {
  const pool = pools.find((p) => p.name === 'system') ?? pools[0];
  if (!pool) throw new Error('an AKS cluster needs at least one node pool');
  return pool;
}

/**
 * The AKS system pool is an inline profile of the managed cluster (AKS requires one at creation),
 * so it cannot be replaced by a second pool: it upgrades by surge only.
 */
export function assertSystemPoolSurge(pools: NodePoolSpec[]): void {
  const system = systemPoolOf(pools);
  if (system.upgradeStrategy === 'blue-green') {
    throw new DomainError('VALIDATION', `node pool "${system.name}" is the AKS system pool, which is part of the managed cluster and cannot be upgraded blue-green`, {
      issues: [{ path: `nodePools.${pools.indexOf(system)}.upgradeStrategy`, message: 'must be surge on the AKS system pool' }],
      hint: 'set upgradeStrategy: surge on the system pool (blue-green works on the user pools)',
    });
  }
}

/** The fields of a pool AKS shares between inline profiles and AgentPool resources. */
export function agentPoolFields(pool: NodePoolSpec & { fixedSize?: boolean }, mode: 'System' | 'User', common: AgentPoolCommon) {
  // a cordoned kept blue-green generation (always a User pool: the system pool is never blue-green)
  // has a manual count kaas sets, 0 after the drain: autoscaler off, no min/max
  // (https://learn.microsoft.com/azure/aks/scale-cluster#scale-user-node-pools-to-0)
  const size = pool.fixedSize && mode === 'User'
    ? { enableAutoScaling: false, count: pool.desiredSize }
    : { enableAutoScaling: true, minCount: pool.minSize, maxCount: pool.maxSize, count: pool.desiredSize };
  return {
    mode,
    osType: 'Linux',
    type: 'VirtualMachineScaleSets',
    vmSize: pool.machineType,
    // a patch pin (1.33.5) is exact; a minor (1.33) lets AKS pick the patch at creation and never
    // moves it later ("Updating the cluster with the same <major.minor> ... will not trigger an
    // upgrade", @pulumi/azure-native@3.28.0 ManagedClusterAgentPoolProfile.orchestratorVersion)
    orchestratorVersion: pool.kubernetesPatch ?? pool.kubernetesVersion ?? common.clusterVersion,
    ...size,
    nodeLabels: pool.labels,
    nodeTaints: pool.taints.map((t) => `${t.key}=${t.value}:${t.effect}`),
    enableNodePublicIP: common.publicNodeIps,
    upgradeSettings: aksUpgradeSettings(pool.surge),
    tags: common.tags,
    ...(common.vnetSubnetId ? { vnetSubnetID: common.vnetSubnetId } : {}),
  };
}

/** A user pool as its own resource (AKS pool names: lowercase alphanumerics, ≤ 12 characters). */
export function userAgentPool(
  pool: NodePoolSpec & { fixedSize?: boolean },
  cluster: { resourceGroupName: pulumi.Input<string>; resourceName: pulumi.Input<string> },
  common: AgentPoolCommon,
  opts: pulumi.CustomResourceOptions,
): azure.containerservice.AgentPool {
  return new azure.containerservice.AgentPool(pool.name, {
    ...cluster,
    agentPoolName: aksPoolName(pool.name),
    ...agentPoolFields(pool, 'User', common),
  }, { ...opts, ignoreChanges: pool.fixedSize ? [] : ['count'] });
}
