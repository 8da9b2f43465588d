/**
 * Surge capacity against the cloud's quota, the arithmetic of preflight's `surge-capacity` check
 * (platform/upgrade-preflight.ts). Pure: the cloud readers (api/worker/health/*-surge-quota.ts,
 * stacks/sim/sim-probe.ts) read the quota, its usage and the machine sizes, and hand them here.
 *
 * What a pool's roll adds beside its current nodes (`surgeDemand`):
 * - a blue-green pool (platform/blue-green-plan.ts): its whole new generation, `desiredSize` nodes,
 *   created while the old one still runs;
 * - EKS managed node groups have no maxSurge: the scale-up phase raises the Auto Scaling group by
 *   the larger of up to twice its Availability Zones and maxUnavailable
 *   (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html#managed-node-update-scale-up);
 * - GKE: `upgradeSettings.maxSurge` nodes ("the number of additional nodes that can be added to the
 *   node pool temporarily", https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#UpgradeSettings);
 * - AKS: `upgradeSettings.maxSurge`, a count or a percentage of the pool with fractional nodes
 *   rounded up (https://learn.microsoft.com/azure/aks/upgrade-aks-cluster#customize-node-surge-upgrade);
 * - sim: maxSurge as on AKS, default one node.
 *
 * Against the quota (`surgeCapacities`): each pool needs `nodes × vCPUs per node` from every quota
 * bucket its machine type counts against (EC2's On-Demand Standard vCPUs; GCE's regional `CPUS` or
 * the family's `N2_CPUS`…; Azure's VM family and the regional total), and can get
 * `floor((limit − usage) / vCPUs per node)` of the tightest one. Pools rolled at once share the
 * free quota: each takes what it needs before the next is counted. kaas rolls a hop's pools one
 * node-pool step after another, and a roll's surge nodes are gone (a blue-green pool's old
 * generation at zero nodes) before the next step starts, so the readers pass one group per pool
 * (`oneAtATime`).
 */
import { isBlueGreen } from './blue-green-plan.ts';
import type { SurgeCapacity, SurgeDemand } from './cluster-probe.ts';
import type { Cloud, ClusterSpec, NodePoolSpec } from './cluster-spec.ts';
import { aksUpgradeSettings, eksUpdateConfig, gkeUpgradeSettings } from './pool-surge.ts';

/** Availability Zones of a kaas-created EKS network (stacks/eks `availabilityZoneCount` default). */
export const EKS_DEFAULT_AVAILABILITY_ZONES = 3;

/** `"33%"` of `size` rounded up, or a plain count. */
function nodesOf(value: number | string, size: number): number {
  const m = /^(\d{1,3})%$/.exec(String(value));
  return m ? Math.ceil((Number(m[1]) * size) / 100) : Math.max(0, Math.floor(Number(value)) || 0);
}

/** The extra nodes rolling `pool` on `cloud` needs at once. */
export function surgeDemand(cloud: Cloud, pool: NodePoolSpec, options: { availabilityZones?: number } = {}): SurgeDemand {
  const base = { pool: pool.name, machineType: pool.machineType };
  if (pool.desiredSize <= 0) return { ...base, nodes: 0, why: 'the pool has no nodes to replace' };
  if (isBlueGreen(pool)) return { ...base, nodes: pool.desiredSize, why: `blue-green: a new generation of ${pool.desiredSize} node(s) beside the old one` };
  if (cloud === 'aws') {
    const config = eksUpdateConfig(pool.surge);
    const unavailable = config.maxUnavailable ?? Math.ceil(((config.maxUnavailablePercentage ?? 0) * pool.desiredSize) / 100);
    const zones = options.availabilityZones ?? EKS_DEFAULT_AVAILABILITY_ZONES;
    return { ...base, nodes: Math.max(2 * zones, unavailable), why: `EKS adds up to twice its ${zones} Availability Zones or maxUnavailable (${unavailable}) nodes, whichever is larger` };
  }
  if (cloud === 'gcp') {
    const { maxSurge } = gkeUpgradeSettings(pool.surge);
    return { ...base, nodes: maxSurge, why: `maxSurge ${maxSurge}` };
  }
  const maxSurge = cloud === 'azure' ? aksUpgradeSettings(pool.surge).maxSurge : (pool.surge?.maxSurge ?? 1);
  return { ...base, nodes: nodesOf(maxSurge, pool.desiredSize), why: `maxSurge ${maxSurge}` };
}

/** The demands of `pools` (names; unknown ones skipped) of `spec` on `cloud`. */
export function surgeDemands(spec: Pick<ClusterSpec, 'nodePools'>, cloud: Cloud, pools: readonly string[], options: { availabilityZones?: number } = {}): SurgeDemand[] {
  return pools.flatMap((name) => {
    const pool = spec.nodePools.find((p) => p.name === name);
    return pool ? [surgeDemand(cloud, pool, options)] : [];
  });
}

/** One quota the cloud counts machines against, in vCPUs (sim: nodes). */
export interface QuotaBucket {
  id: string;
  /** For messages: `EC2 quota L-1216C47A (Running On-Demand Standard instances)`. */
  label: string;
  limit: number;
  usage: number;
  /** Default `vCPUs`. */
  unit?: 'vCPUs' | 'nodes';
}

/** What one node of a machine type takes from which quotas. */
export interface MachineQuota {
  /** vCPUs per node (sim: 1 node). */
  vcpus: number;
  /** Ids of every `QuotaBucket` it counts against. */
  buckets: readonly string[];
}

/** Each demand on its own: pools rolled one after another. */
export function oneAtATime(demands: readonly SurgeDemand[]): SurgeDemand[][] {
  return demands.map((d) => [d]);
}

/**
 * The surge capacity of every demand, pools of a group sharing the free quota in order; the
 * demands whose machine type or quota is unknown come back in `unknown`, for a warning.
 */
export function surgeCapacities(
  groups: readonly (readonly SurgeDemand[])[],
  machines: ReadonlyMap<string, MachineQuota>,
  buckets: readonly QuotaBucket[],
): { surge: SurgeCapacity[]; unknown: SurgeDemand[] } {
  const byId = new Map(buckets.map((b) => [b.id, b]));
  const surge: SurgeCapacity[] = [];
  const unknown: SurgeDemand[] = [];
  for (const group of groups) {
    const free = new Map(buckets.map((b) => [b.id, b.limit - b.usage]));
    for (const demand of group) {
      if (demand.nodes <= 0) {
        surge.push({ pool: demand.pool, needed: 0, available: 0 });
        continue;
      }
      const machine = machines.get(demand.machineType);
      const counted = machine?.buckets.map((id) => byId.get(id));
      if (!machine || !(machine.vcpus > 0) || !counted || counted.length === 0 || counted.some((b) => b === undefined)) {
        unknown.push(demand);
        continue;
      }
      const tightest = (counted as QuotaBucket[]).reduce((a, b) => (free.get(b.id)! < free.get(a.id)! ? b : a));
      const left = free.get(tightest.id)!;
      const unit = tightest.unit ?? 'vCPUs';
      const per = unit === 'nodes' ? '' : `, ${machine.vcpus} vCPUs per ${demand.machineType} node`;
      surge.push({
        pool: demand.pool,
        needed: demand.nodes,
        available: Math.max(0, Math.floor(left / machine.vcpus)),
        quota: `${tightest.label}: ${Math.max(0, left)} of ${tightest.limit} ${unit} free${per} (${demand.why})`,
      });
      for (const b of counted as QuotaBucket[]) free.set(b.id, free.get(b.id)! - demand.nodes * machine.vcpus);
    }
  }
  return { surge, unknown };
}
