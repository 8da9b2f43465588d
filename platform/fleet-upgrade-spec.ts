/**
 * The spec a fleet upgrade applies to one cluster: the control plane and every node pool at the
 * target minor. Campaigns move a cluster by exactly one minor (see fleet-campaign.ts), so the
 * control plane and the pools move together within the cloud's skew.
 */
import type { ClusterSpec } from './cluster-spec.ts';

/** `spec` with `kubernetesVersion` and each pool's `kubernetesVersion` set to `toVersion`. */
export function fleetUpgradeSpec(spec: ClusterSpec, toVersion: string): ClusterSpec {
  return { ...spec, kubernetesVersion: toVersion, nodePools: spec.nodePools.map((p) => ({ ...p, kubernetesVersion: toVersion })) };
}
