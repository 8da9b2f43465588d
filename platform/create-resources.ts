/**
 * What a create would build, described from the spec alone (no Pulumi run): the console's and
 * `clusters.createPreview`'s "plan" of a cluster that does not exist yet. For `sim` it is the
 * exact resource list of stacks/sim/program.ts (a stack test runs that program under Pulumi
 * mocks and compares); for the managed clouds it is the components the program builds (the
 * cluster, one node pool per spec pool, one release per enabled addon), not every IAM role or
 * subnet: their exact list is the preview the first `update` or `plan` runs.
 */
import { enabledAddons, type ClusterSpec } from './cluster-spec.ts';

/** One resource (or, for a managed cloud, one component) the create would build. */
export interface PlannedResource {
  type: string;
  name: string;
  description: string;
}

export interface CreateResources {
  /** True when `resources` is the program's exact list (sim); false for a list of components. */
  exact: boolean;
  resources: PlannedResource[];
}

const MANAGED: Record<'aws' | 'gcp' | 'azure', { cluster: string; pool: string; label: string }> = {
  aws: { cluster: 'aws:eks/cluster:Cluster', pool: 'aws:eks/nodeGroup:NodeGroup', label: 'EKS' },
  gcp: { cluster: 'gcp:container/cluster:Cluster', pool: 'gcp:container/nodePool:NodePool', label: 'GKE' },
  azure: { cluster: 'azure-native:containerservice:ManagedCluster', pool: 'azure-native:containerservice:AgentPool', label: 'AKS' },
};

/** The resources (sim) or components (managed clouds) a create of `spec` builds, in creation order. */
export function createResources(spec: ClusterSpec): CreateResources {
  const pools = spec.nodePools;
  const addons = enabledAddons(spec);
  if (spec.target.cloud === 'sim') {
    return {
      exact: true,
      resources: [
        { type: 'kaas:sim:Cluster', name: spec.name, description: 'the simulated cluster (a component)' },
        { type: 'pulumi-nodejs:dynamic/kaas-sim:SimCluster', name: 'control-plane', description: `control plane, Kubernetes ${spec.kubernetesVersion}, in ${spec.target.region}` },
        ...pools.map((p) => ({ type: 'pulumi-nodejs:dynamic/kaas-sim:SimNodePool', name: `pool-${p.name}`, description: `node pool ${p.name}: ${p.desiredSize} × ${p.machineType} (${p.minSize}–${p.maxSize})` })),
        ...addons.map((a) => ({ type: 'pulumi-nodejs:dynamic/kaas-sim:SimAddonRelease', name: `addon-${a}`, description: `addon ${a}` })),
      ],
    };
  }
  const m = MANAGED[spec.target.cloud];
  return {
    exact: false,
    resources: [
      { type: m.cluster, name: spec.name, description: `${m.label} control plane, Kubernetes ${spec.kubernetesVersion}, in ${spec.target.region} (with its network and identities)` },
      ...pools.map((p) => ({ type: m.pool, name: p.name, description: `node pool ${p.name}: ${p.desiredSize} × ${p.machineType} (${p.minSize}–${p.maxSize})` })),
      ...addons.map((a) => ({ type: 'kubernetes:helm.sh/v3:Release', name: a, description: `addon ${a} (Helm release and its cloud identity)` })),
    ],
  };
}
