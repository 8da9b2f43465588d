/** The tags / labels every taggable cloud resource of a cluster carries. */
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { clusterTag } from '../../platform/cluster-tag.ts';

/**
 * Tags (AWS, Azure): the spec's own tags plus team, managed-by=kaas and the cluster tag the leak
 * check searches for (platform/cluster-tag.ts), which win.
 */
export function standardTags(spec: ClusterSpec, identity: ClusterIdentity): Record<string, string> {
  return { ...spec.tags, team: spec.team, 'managed-by': 'kaas', ...clusterTag(spec.target.cloud, identity.clusterId) };
}

/**
 * GCP labels: same content as `standardTags`, rewritten to GCP's label rules
 * (lowercase letters, digits, `_` and `-`, at most 63 characters, keys start with a letter).
 */
export function standardLabels(spec: ClusterSpec, identity: ClusterIdentity): Record<string, string> {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(standardTags(spec, identity))) {
    const key = clean(k).replace(/^[^a-z]+/, '');
    if (key) out[key] = clean(v);
  }
  return out;
}
