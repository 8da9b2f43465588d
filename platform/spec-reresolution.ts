/**
 * The one rule for re-resolving an existing cluster's spec from a template (the same version with
 * new `--set` overrides for `clusters update`/`plan`, or a newer version for template rollouts):
 * the Kubernetes versions the cluster runs (control plane and each existing pool) are kept, so a
 * template default or a stale stored override never moves them. A request that names a different
 * version is refused: versions move only through `clusters upgrade`, which plans and checks each
 * minor (`upgrade-plan.ts`). Refusal reasons include the planner's own (downgrade, unsupported, …).
 */
import { addonRequirementsFor } from './addon-requirements.ts';
import type { ClusterSpec, NodePoolSpec, TargetRef } from './cluster-spec.ts';
import { DomainError, type FieldIssue } from './errors.ts';
import { resolveTemplate, type TemplateDefinition } from './templates.ts';
import { preflightUpgrade } from './upgrade-plan.ts';
import { DEFAULT_VERSION_RULES, type VersionRules } from './version-policy.ts';

/** The cluster as it runs, as far as re-resolving its spec needs it. */
export interface RunningCluster {
  name: string;
  spec: ClusterSpec;
  /** The overrides stored with the cluster. */
  overrides: Record<string, string>;
  target: TargetRef;
}

export interface ReresolveOptions {
  /** This request's `--set` overrides, applied over the stored ones. */
  set?: Record<string, string>;
  policy?: VersionRules;
}

/**
 * The spec `cluster` gets from `template` with its stored overrides and `set` applied, keeping
 * its running Kubernetes versions. Throws VALIDATION for overrides the template refuses and
 * PRECONDITION_FAILED when `set` asks for a version other than the running one.
 */
export function reresolveSpec(template: TemplateDefinition, cluster: RunningCluster, options: ReresolveOptions = {}): ClusterSpec {
  const set = options.set ?? {};
  const request = { name: cluster.name, team: cluster.spec.team, target: cluster.target, ...(options.policy ? { policy: options.policy } : {}) };
  const next = resolveTemplate(template, { ...request, overrides: { ...cluster.overrides, ...set } });
  if (Object.keys(set).length > 0) {
    const before = resolveTemplate(template, { ...request, overrides: cluster.overrides });
    refuseVersionChanges(cluster, requestedVersions(before, next, set), options.policy ?? DEFAULT_VERSION_RULES);
  }
  const running = new Map(cluster.spec.nodePools.map((p) => [p.name, p]));
  const { kubernetesPatch: _ignored, ...resolved } = next;
  return {
    ...resolved,
    kubernetesVersion: cluster.spec.kubernetesVersion,
    // a patch pin is the platform's (a patch campaign set it): kept as it runs
    ...(cluster.spec.kubernetesPatch === undefined ? {} : { kubernetesPatch: cluster.spec.kubernetesPatch }),
    nodePools: next.nodePools.map((pool) => withPoolVersion(pool, running.get(pool.name))),
  };
}

/** A version a request names: the spec path, and the version it asks for. */
interface VersionRequest {
  path: string;
  pool?: string;
  version: string;
}

/**
 * The versions `set` asks for: those it changes (directly or through a template parameter) and
 * those it names directly even when they equal the template's (naming 1.33 on a 1.34 cluster is
 * a downgrade request, not a no-op).
 */
function requestedVersions(before: ClusterSpec, next: ClusterSpec, set: Record<string, string>): VersionRequest[] {
  const requests: VersionRequest[] = [];
  if (next.kubernetesVersion !== before.kubernetesVersion || Object.hasOwn(set, 'kubernetesVersion')) {
    requests.push({ path: 'kubernetesVersion', version: next.kubernetesVersion });
  }
  next.nodePools.forEach((pool, index) => {
    const prior = before.nodePools.find((p) => p.name === pool.name)?.kubernetesVersion;
    const named = Object.hasOwn(set, `nodePools.${pool.name}.kubernetesVersion`) || Object.hasOwn(set, `nodePools.${index}.kubernetesVersion`);
    if (pool.kubernetesVersion !== undefined && (pool.kubernetesVersion !== prior || named)) {
      requests.push({ path: `nodePools.${pool.name}.kubernetesVersion`, pool: pool.name, version: pool.kubernetesVersion });
    }
  });
  return requests;
}

function refuseVersionChanges(cluster: RunningCluster, requests: VersionRequest[], policy: VersionRules): void {
  const controlPlane = cluster.spec.kubernetesVersion;
  const runningOf = (r: VersionRequest) => (r.pool === undefined ? controlPlane : (cluster.spec.nodePools.find((p) => p.name === r.pool)?.kubernetesVersion ?? controlPlane));
  const changes = requests.filter((r) => r.version !== runningOf(r));
  if (changes.length === 0) return;
  const issues: FieldIssue[] = changes.map((r) => {
    const reasons = r.pool === undefined ? preflightUpgrade(cluster.spec, r.version, policy, addonRequirementsFor(cluster.spec.target.cloud)).map((i) => i.message) : [];
    const what = r.pool === undefined ? 'the control-plane version' : `the version of node pool "${r.pool}"`;
    const why = reasons.length > 0 ? `; the upgrade planner refuses it too: ${reasons.join('; ')}` : '';
    return { path: r.path, message: `${r.path} ${runningOf(r)} → ${r.version}: ${what} of an existing cluster changes only through an upgrade${why}` };
  });
  const to = changes.find((r) => r.pool === undefined)?.version ?? changes[0]!.version;
  throw new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}": ${issues.map((i) => i.message).join('; ')}`, {
    issues,
    hint: `change Kubernetes versions with \`kaas clusters upgrade ${cluster.name} --to ${to}\` (one minor at a time, control plane before node pools, never down); drop the version from --set`,
  });
}

/** `pool` with the version it runs (none recorded: it follows the control plane). */
/** `pool` with the running pool's version (and patch pin) and its server-owned blue-green state (generation, standby). */
function withPoolVersion(pool: NodePoolSpec, running: NodePoolSpec | undefined): NodePoolSpec {
  const { kubernetesVersion: _template, kubernetesPatch: _p, generation: _g, standby: _s, ...rest } = pool;
  return {
    ...rest,
    ...(running?.kubernetesVersion === undefined ? {} : { kubernetesVersion: running.kubernetesVersion }),
    ...(running?.kubernetesPatch === undefined ? {} : { kubernetesPatch: running.kubernetesPatch }),
    ...(running?.generation === undefined ? {} : { generation: running.generation }),
    ...(running?.standby === undefined ? {} : { standby: running.standby }),
  };
}
