/**
 * The checks a spec for a managed cloud must pass before it is stored (clusters.create,
 * clusters.update / plan) and again before its program runs (stacks/program-for.ts through
 * stacks/common/program-guard.ts): the addon catalog (`assertAddonsSupported`) and the API
 * server access rules below. Pure: no I/O.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import { assertAddonsSupported } from './addon-catalog.ts';
import { KNOWN_VERSION_RULES, type VersionRules } from './version-policy.ts';
import { validationError, type FieldIssue } from './errors.ts';
import { surgeSettingIssues } from './pool-surge.ts';

/** What to do about an AKS public API server without authorised CIDRs. */
export const AKS_EMPTY_CIDRS_HINT =
  'list the CIDRs allowed to reach the API server in networking.authorizedCidrs (in a template, its CIDR parameter, e.g. --set apiAccessCidrs=203.0.113.0/24), or set networking.privateEndpoint=true';

/** What to do about AKS nodes with public IPs behind authorised ranges. */
export const AKS_PUBLIC_NODE_IPS_HINT =
  'set networking.publicNodeIps=false (nodes then reach the API server through the load balancer\'s outbound IP, which AKS authorises), or networking.privateEndpoint=true';

/**
 * Problems with how the API server is reached (empty when valid), on AKS:
 * - a public API server with empty `authorizedCidrs`: AKS reads an empty `authorizedIPRanges` as
 *   "no restriction" (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges: for
 *   `--api-server-authorized-ip-ranges`, "" disables authorised ranges), so every address on the
 *   internet could reach it. On EKS and GKE an empty list means no public access / no authorised
 *   network, which is safe.
 * - authorised ranges with public node IPs: "not compatible with clusters that use Public IP Per
 *   Node" (azure-native@3.28.0 ManagedClusterAPIServerAccessProfile.authorizedIPRanges); such node
 *   pools would need public IP prefixes added as authorised ranges, which the program does not make.
 */
export function apiServerAccessIssues(spec: ClusterSpec): FieldIssue[] {
  const net = spec.networking;
  if (spec.target.cloud !== 'azure' || net.privateEndpoint) return [];
  if (net.authorizedCidrs.length === 0) {
    return [{ path: 'networking.authorizedCidrs', message: 'is empty with a public API server: AKS would accept every address on the internet' }];
  }
  if (net.publicNodeIps) {
    return [{ path: 'networking.publicNodeIps', message: 'nodes with their own public IPs cannot reach an AKS API server limited to networking.authorizedCidrs' }];
  }
  return [];
}

/** Throws the DomainError of the first failed check for a managed-cloud spec; nothing for `sim`. */
export function assertCloudSpec(spec: ClusterSpec, versionRules: VersionRules = KNOWN_VERSION_RULES): void {
  if (spec.target.cloud === 'sim') return;
  assertAddonsSupported(spec, versionRules);
  const surge = spec.nodePools.flatMap((pool, i) => surgeSettingIssues(spec.target.cloud, i, pool.surge));
  if (surge.length > 0) throw validationError(surge, 'use the surge settings the cloud has (README: Upgrades, surge settings)');
  const access = apiServerAccessIssues(spec);
  if (access.length > 0) {
    throw validationError(access, access[0]!.path === 'networking.publicNodeIps' ? AKS_PUBLIC_NODE_IPS_HINT : AKS_EMPTY_CIDRS_HINT);
  }
}
