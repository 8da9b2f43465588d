/**
 * AKS agent pools: the system pool (inline in the managed cluster, which AKS requires at creation)
 * and one user pool per remaining spec pool, all autoscaled with labels, taints and max-surge.
 */
import * as azure from '@pulumi/azure-native';
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import { DomainError } from '../../platform/errors.ts';
import type { NodePoolSpec } from '../../platform/cluster-spec.ts';

/** Settings shared by the system and user pools of one cluster. */
export interface AgentPoolCommon {
  clusterVersion: string;
  publicNodeIps: boolean;
  vnetSubnetId: string | undefined;
  tags: Record<string, string>;
}

/** The AKS surge setting for pool upgrades. */
export const AKS_MAX_SURGE = '33%';

/** Which spec pool becomes the AKS system pool: the one named `system`, else the first. */
export function systemPoolOf(pools: NodePoolSpec[]): NodePoolSpec {
  const pool = pools.find((p) => p.name === 'system') ?? pools[0];
  if (!pool) throw new Error('an AKS cluster needs at least one node pool');
  return pool;
}

/** The fields of a pool AKS shares between inline profiles and AgentPool resources. */
export function agentPoolFields(pool: NodePoolSpec, mode: 'System' | 'User', common: AgentPoolCommon) {
  return {
    mode,
    osType: 'Linux',
    type: 'VirtualMachineScaleSets',
    vmSize: pool.machineType,
    orchestratorVersion: pool.kubernetesVersion ?? common.clusterVersion,
    enableAutoScaling: true,
    minCount: pool.minSize,
    maxCount: pool.maxSize,
    count: pool.desiredSize,
    nodeLabels: pool.labels,
    nodeTaints: pool.taints.map((t) => `${t.key}=${t.value}:${t.effect}`),
    enableNodePublicIP: common.publicNodeIps,
    upgradeSettings: { maxSurge: AKS_MAX_SURGE },
    tags: common.tags,
    ...(common.vnetSubnetId ? { vnetSubnetID: common.vnetSubnetId } : {}),
  };
}

/** A user pool as its own resource (AKS pool names: lowercase alphanumerics, ≤ 12 characters). */
export function userAgentPool(
  pool: NodePoolSpec,
  cluster: { resourceGroupName: pulumi.Input<string>; resourceName: pulumi.Input<string> },
  common: AgentPoolCommon,
  opts: pulumi.CustomResourceOptions,
): azure.containerservice.AgentPool {
  return new azure.containerservice.AgentPool(pool.name, {
    ...cluster,
    agentPoolName: aksPoolName(pool.name),
    ...agentPoolFields(pool, 'User', common),
  }, { ...opts, ignoreChanges: ['count'] });
}

/**
 * The AKS name of a spec pool. AKS Linux pool names are 1–12 lowercase alphanumerics starting
 * with a letter (https://learn.microsoft.com/azure/aks/create-node-pools). A name that fits is
 * kept; a longer one keeps 8 characters plus 4 of a hash of the full name, so two long names
 * sharing a prefix stay distinct.
 */
export function aksPoolName(name: string): string {
  let clean = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!/^[a-z]/.test(clean)) clean = `p${clean}`;
  if (clean.length <= 12) return clean;
  return `${clean.slice(0, 8)}${createHash('sha256').update(name).digest('hex').slice(0, 4)}`;
}

/** Refuses pools whose AKS names coincide (e.g. `sys-tem` and `system`), naming both. */
export function assertDistinctPoolNames(names: string[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const aks = aksPoolName(n);
    const other = seen.get(aks);
    if (other !== undefined) {
      throw new DomainError('VALIDATION', `nodePools: pool names "${other}" and "${n}" both become the AKS pool name "${aks}"`, { hint: 'rename one pool so the names differ in their letters and digits' });
    }
    seen.set(aks, n);
  }
}
