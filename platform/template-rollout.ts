/**
 * Re-resolving a cluster against a newer version of its template, for template rollouts: the
 * cluster's stored overrides are applied to the new version; unresolvable overrides throw
 * VALIDATION naming each field. Kubernetes versions are carried over from the cluster as it runs
 * (control plane and each existing pool) by the one re-resolution rule, `spec-reresolution.ts`:
 * moving versions is the job of upgrades, and a template whose default is older than a cluster
 * already upgraded must never downgrade it.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import { diffSpecs, type SpecChange } from './spec-diff.ts';
import { reresolveSpec, type RunningCluster } from './spec-reresolution.ts';
import type { TemplateDefinition } from './templates.ts';
import type { VersionRules } from './version-policy.ts';

/** The cluster as it is now, as far as a rollout needs it. */
export type RolloutCluster = RunningCluster;

/** The spec `cluster` gets from `template` (a newer version), with its running versions kept (`reresolveSpec`). */
export function rolloutSpec(template: TemplateDefinition, cluster: RolloutCluster, policy?: VersionRules): ClusterSpec {
  return reresolveSpec(template, cluster, policy ? { policy } : {});
}

/** What rolling `template` out to `cluster` would change, field by field. */
export function rolloutChanges(template: TemplateDefinition, cluster: RolloutCluster, policy?: VersionRules): SpecChange[] {
  return diffSpecs(cluster.spec, rolloutSpec(template, cluster, policy));
}
