/**
 * Re-resolving a cluster against a newer version of its template, for template rollouts: the
 * cluster's stored overrides are applied to the new version; unresolvable overrides throw
 * VALIDATION naming each field. Kubernetes versions are carried over from the cluster as it runs
 * (control plane and each existing pool): moving versions is the job of upgrade campaigns, and a
 * template whose default is older than a cluster already upgraded must never downgrade it.
 */
import type { ClusterSpec, TargetRef } from './cluster-spec.ts';
import { diffSpecs, type SpecChange } from './spec-diff.ts';
import { resolveTemplate, type TemplateDefinition } from './templates.ts';
import type { VersionPolicy } from './version-policy.ts';

/** The cluster as it is now, as far as a rollout needs it. */
export interface RolloutCluster {
  name: string;
  spec: ClusterSpec;
  overrides: Record<string, string>;
  target: TargetRef;
}

/** The spec `cluster` gets from `template` (a newer version), with its running versions kept. */
export function rolloutSpec(template: TemplateDefinition, cluster: RolloutCluster, policy?: VersionPolicy): ClusterSpec {
  const next = resolveTemplate(template, {
    name: cluster.name,
    team: cluster.spec.team,
    target: cluster.target,
    overrides: cluster.overrides,
    ...(policy ? { policy } : {}),
  });
  const pools = new Map(cluster.spec.nodePools.map((p) => [p.name, p]));
  return {
    ...next,
    kubernetesVersion: cluster.spec.kubernetesVersion,
    nodePools: next.nodePools.map((pool) => {
      const { kubernetesVersion: _ignored, ...rest } = pool;
      const current = pools.get(pool.name)?.kubernetesVersion;
      return current === undefined ? rest : { ...rest, kubernetesVersion: current };
    }),
  };
}

/** What rolling `template` out to `cluster` would change, field by field. */
export function rolloutChanges(template: TemplateDefinition, cluster: RolloutCluster, policy?: VersionPolicy): SpecChange[] {
  return diffSpecs(cluster.spec, rolloutSpec(template, cluster, policy));
}
