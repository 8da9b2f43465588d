/**
 * A pool's surge settings (`nodePools[].surge`: maxSurge, maxUnavailable, drainTimeoutMinutes)
 * mapped to each cloud's own fields, and the settings a cloud has no field for. Defaults are the
 * values the programs used before the settings existed, so existing clusters see no change.
 *
 * - EKS managed node group `updateConfig` (NodegroupUpdateConfig): `maxUnavailable` (1–100 nodes)
 *   or `maxUnavailablePercentage` (1–100); EKS has no maxSurge and no drain timeout — it replaces
 *   up to maxUnavailable nodes at a time and gives up on a pod blocked by a PDB after 15 minutes
 *   (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html,
 *   https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html).
 * - GKE node pool `upgradeSettings` (strategy SURGE): `maxSurge` and `maxUnavailable`, node counts
 *   only, not both zero; no drain timeout field (GKE waits up to one hour on PDBs)
 *   (https://cloud.google.com/kubernetes-engine/docs/concepts/node-pool-upgrade-strategies#surge).
 * - AKS agent pool `upgradeSettings`: `maxSurge` and `maxUnavailable` as strings (a count or a
 *   percentage) and `drainTimeoutInMinutes` (azure-native@3.28.0 AgentPoolUpgradeSettingsArgs;
 *   https://learn.microsoft.com/azure/aks/upgrade-aks-cluster#customize-node-surge-upgrade).
 */
import type { Cloud, SurgeSettings } from './cluster-spec.ts';
import type { FieldIssue } from './errors.ts';

export const DEFAULT_EKS_MAX_UNAVAILABLE_PERCENTAGE = 33;
export const DEFAULT_GKE_MAX_SURGE = 1;
export const DEFAULT_GKE_MAX_UNAVAILABLE = 0;
export const DEFAULT_AKS_MAX_SURGE = '33%';

/** `"33%"` → 33; a number or a numeric string → undefined. */
function percentOf(value: number | string): number | undefined {
  const m = /^(\d{1,3})%$/.exec(String(value));
  return m ? Number(m[1]) : undefined;
}

/** EKS `updateConfig`. */
export function eksUpdateConfig(surge: SurgeSettings | undefined): { maxUnavailable?: number; maxUnavailablePercentage?: number } {
  const value = surge?.maxUnavailable;
  if (value === undefined) return { maxUnavailablePercentage: DEFAULT_EKS_MAX_UNAVAILABLE_PERCENTAGE };
  const percent = percentOf(value);
  return percent === undefined ? { maxUnavailable: Number(value) } : { maxUnavailablePercentage: percent };
}

/** GKE `upgradeSettings`. */
export function gkeUpgradeSettings(surge: SurgeSettings | undefined): { strategy: 'SURGE'; maxSurge: number; maxUnavailable: number } {
  return { strategy: 'SURGE', maxSurge: Number(surge?.maxSurge ?? DEFAULT_GKE_MAX_SURGE), maxUnavailable: Number(surge?.maxUnavailable ?? DEFAULT_GKE_MAX_UNAVAILABLE) };
}

/** AKS `upgradeSettings`. */
export function aksUpgradeSettings(surge: SurgeSettings | undefined): { maxSurge: string; maxUnavailable?: string; drainTimeoutInMinutes?: number } {
  return {
    maxSurge: String(surge?.maxSurge ?? DEFAULT_AKS_MAX_SURGE),
    ...(surge?.maxUnavailable === undefined ? {} : { maxUnavailable: String(surge.maxUnavailable) }),
    ...(surge?.drainTimeoutMinutes === undefined ? {} : { drainTimeoutInMinutes: surge.drainTimeoutMinutes }),
  };
}

/** The surge settings of pool `index` that `cloud` cannot express; empty when all map. */
export function surgeSettingIssues(cloud: Cloud, index: number, surge: SurgeSettings | undefined): FieldIssue[] {
  if (!surge) return [];
  const at = (field: string) => `nodePools.${index}.surge.${field}`;
  const issues: FieldIssue[] = [];
  if (cloud === 'aws') {
    if (surge.maxSurge !== undefined) issues.push({ path: at('maxSurge'), message: 'EKS managed node groups have no maxSurge (they replace up to maxUnavailable nodes at a time); set maxUnavailable instead' });
    if (surge.drainTimeoutMinutes !== undefined) issues.push({ path: at('drainTimeoutMinutes'), message: 'EKS has no drain timeout setting (it gives up on a PDB-blocked pod after 15 minutes)' });
    const u = surge.maxUnavailable;
    if (u !== undefined) {
      const n = percentOf(u) ?? Number(u);
      if (!(n >= 1 && n <= 100)) issues.push({ path: at('maxUnavailable'), message: `EKS accepts 1–100 nodes or 1%–100%, got ${u}` });
    }
  }
  if (cloud === 'gcp') {
    for (const field of ['maxSurge', 'maxUnavailable'] as const) {
      const v = surge[field];
      if (v !== undefined && percentOf(v) !== undefined) issues.push({ path: at(field), message: `GKE takes a node count, not a percentage (got ${v})` });
    }
    if (surge.drainTimeoutMinutes !== undefined) issues.push({ path: at('drainTimeoutMinutes'), message: 'GKE node pools have no drain timeout setting (GKE waits up to one hour on PDBs)' });
    const settings = gkeUpgradeSettings(surge);
    if (settings.maxSurge === 0 && settings.maxUnavailable === 0) issues.push({ path: at('maxSurge'), message: 'GKE needs maxSurge or maxUnavailable above 0' });
  }
  if (cloud === 'azure') {
    const s = aksUpgradeSettings(surge);
    const zero = (v: string | undefined) => v === undefined || Number(v.replace('%', '')) === 0;
    if (zero(s.maxSurge) && zero(s.maxUnavailable)) issues.push({ path: at('maxSurge'), message: 'AKS needs maxSurge or maxUnavailable above 0' });
  }
  return issues;
}
