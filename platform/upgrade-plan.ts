/**
 * Kubernetes upgrade planning: one minor at a time, and for each minor hop the control plane
 * first, then the addon versions the new minor needs, then the node pools. `preflightUpgrade`
 * lists every reason a plan is impossible; `planUpgrade` throws them as PRECONDITION_FAILED.
 *
 * Node pools are brought to each hop's version right after the control plane, so a multi-minor
 * upgrade never leaves pools further behind than one minor. A pool that is already so far
 * behind that the next control-plane hop would break the cloud's skew is first caught up to the
 * current control-plane version (node pools are replaced, so they may jump several minors).
 */
import type { AddonId, ClusterSpec } from './cluster-spec.ts';
import { enabledAddons } from './cluster-spec.ts';
import { DomainError, validationError, type FieldIssue } from './errors.ts';
import { compareMinorVersions, isMinorVersion, minorDistance, nextMinor, parseMinorVersion } from './kubernetes-version.ts';
import type { VersionRules } from './version-policy.ts';

/**
 * One addon release and the Kubernetes minors it supports (inclusive). The real addon catalog
 * provides a list of these; planning needs nothing else from it.
 */
export interface AddonVersionRequirement {
  addon: AddonId;
  /** The addon (chart) version, e.g. `3.29.1`. */
  version: string;
  minKubernetes: string;
  maxKubernetes: string;
}

/** One ordered step of an upgrade plan. */
export type UpgradeStep =
  | { kind: 'control-plane'; from: string; to: string }
  | { kind: 'addon'; addon: AddonId; from: string | undefined; to: string; forKubernetes: string }
  | { kind: 'node-pool'; pool: string; from: string; to: string };

/** An ordered, executable upgrade plan. */
export interface UpgradePlan {
  from: string;
  to: string;
  /** The control-plane versions visited, in order, ending with `to`. */
  hops: string[];
  steps: UpgradeStep[];
}

/** The newest release of `addon` that supports Kubernetes `k8s`, if any. */
export function addonVersionFor(reqs: readonly AddonVersionRequirement[], addon: AddonId, k8s: string): string | undefined {
  return reqs
    .filter((r) => r.addon === addon && compareMinorVersions(r.minKubernetes, k8s) <= 0 && compareMinorVersions(k8s, r.maxKubernetes) <= 0)
    .map((r) => r.version)
    .sort(compareDottedVersions)
    .at(-1);
}

/** Every reason the upgrade of `spec` to `toVersion` is impossible; empty when it can be planned. */
export function preflightUpgrade(
  spec: ClusterSpec,
  toVersion: string,
  policy: VersionRules,
  addonRequirements: readonly AddonVersionRequirement[] = [],
): FieldIssue[] {
  const from = spec.kubernetesVersion;
  const cloud = spec.target.cloud;
  const supported = policy[cloud].supported;
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  if (!isMinorVersion(toVersion)) return [{ path: 'toVersion', message: `"${toVersion}" must be a Kubernetes minor version MAJOR.MINOR like 1.31` }];
  if (parseMinorVersion(from).major !== parseMinorVersion(toVersion).major) {
    return [{ path: 'toVersion', message: `cannot upgrade across major versions (${from} → ${toVersion})` }];
  }
  const cmp = compareMinorVersions(toVersion, from);
  if (cmp === 0) add('toVersion', `the control plane is already at ${from}; nothing to upgrade`);
  if (cmp < 0) add('toVersion', `${toVersion} is older than the current ${from}; downgrades are not supported`);
  if (!supported.includes(toVersion)) add('toVersion', `${toVersion} is not supported on ${cloud} (supported: ${supported.join(', ')})`);
  const hops = cmp > 0 ? hopsBetween(from, toVersion) : [];
  // one reason for every unsupported hop, not one per hop
  const unsupportedHops = hops.slice(0, -1).filter((hop) => !supported.includes(hop));
  if (unsupportedHops.length === 1) add('toVersion', `intermediate version ${unsupportedHops[0]} is not supported on ${cloud}; upgrades move one minor at a time`);
  if (unsupportedHops.length > 1) add('toVersion', `intermediate versions ${unsupportedHops[0]}–${unsupportedHops.at(-1)} are not supported on ${cloud}; upgrades move one minor at a time`);
  spec.nodePools.forEach((pool, i) => {
    const v = pool.kubernetesVersion ?? from;
    if (compareMinorVersions(v, from) > 0) {
      add(`nodePools.${i}.kubernetesVersion`, `node pool "${pool.name}" (${v}) is newer than the control plane (${from}); fix the spec first`);
    }
  });
  for (const addon of enabledAddons(spec)) {
    if (!addonRequirements.some((r) => r.addon === addon)) continue;
    for (const hop of hops) {
      if (addonVersionFor(addonRequirements, addon, hop) === undefined) {
        add(`addons.${addon}`, `no ${addon} release supports Kubernetes ${hop}; disable the addon or wait for a catalog update`);
      }
    }
  }
  return issues;
}

/** The versions `spec` can be upgraded to: supported on its cloud and newer than it, one minor at a time. */
function upgradeHint(spec: ClusterSpec, policy: VersionRules): string {
  const supported = policy[spec.target.cloud].supported;
  const reachable: string[] = [];
  for (let v = spec.kubernetesVersion; ; ) {
    const next = nextMinor(v);
    if (!supported.includes(next)) break;
    reachable.push(next);
    v = next;
  }
  if (reachable.length === 0) return `cluster "${spec.name}" is at ${spec.kubernetesVersion}, the newest version ${spec.target.cloud} supports here; nothing to upgrade to yet`;
  return `upgrade to ${reachable.length === 1 ? reachable[0] : `one of ${reachable.join(', ')}`}: kaas clusters upgrade ${spec.name} --to ${reachable.at(-1)}`;
}

/**
 * Plans the upgrade of `spec` to `toVersion`, or throws with every reason: VALIDATION when the
 * version asked for cannot be reached (exit 2, like a malformed one), PRECONDITION_FAILED when
 * the cluster's state stands in the way.
 */
export function planUpgrade(
  spec: ClusterSpec,
  toVersion: string,
  policy: VersionRules,
  addonRequirements: readonly AddonVersionRequirement[] = [],
): UpgradePlan {
  if (!isMinorVersion(toVersion)) {
    throw validationError([{ path: 'toVersion', message: `"${toVersion}" must be a Kubernetes minor version MAJOR.MINOR like 1.31` }]);
  }
  const issues = preflightUpgrade(spec, toVersion, policy, addonRequirements);
  if (issues.length > 0) {
    // a `--to` the platform cannot reach is a bad argument, like a malformed one; the rest are the cluster's state
    const code = issues.some((i) => i.path === 'toVersion') ? 'VALIDATION' : 'PRECONDITION_FAILED';
    throw new DomainError(code, `cannot upgrade cluster "${spec.name}" to ${toVersion}: ${issues.map((i) => i.message).join('; ')}`, { issues, hint: upgradeHint(spec, policy) });
  }
  const skew = policy[spec.target.cloud].maxNodeSkew;
  const pools = new Map(spec.nodePools.map((p) => [p.name, p.kubernetesVersion ?? spec.kubernetesVersion]));
  const enabled = enabledAddons(spec).filter((a) => addonRequirements.some((r) => r.addon === a));
  const steps: UpgradeStep[] = [];
  const hops = hopsBetween(spec.kubernetesVersion, toVersion);
  let current = spec.kubernetesVersion;
  for (const hop of hops) {
    for (const [pool, v] of pools) {
      if (minorDistance(v, hop) > skew) {
        steps.push({ kind: 'node-pool', pool, from: v, to: current });
        pools.set(pool, current);
      }
    }
    steps.push({ kind: 'control-plane', from: current, to: hop });
    for (const addon of enabled) {
      const before = addonVersionFor(addonRequirements, addon, current);
      const after = addonVersionFor(addonRequirements, addon, hop);
      if (after !== undefined && after !== before) steps.push({ kind: 'addon', addon, from: before, to: after, forKubernetes: hop });
    }
    for (const [pool, v] of pools) {
      if (compareMinorVersions(v, hop) < 0) {
        steps.push({ kind: 'node-pool', pool, from: v, to: hop });
        pools.set(pool, hop);
      }
    }
    current = hop;
  }
  return { from: spec.kubernetesVersion, to: toVersion, hops, steps };
}

/** The versions after `from` up to and including `to`, one minor apart. */
function hopsBetween(from: string, to: string): string[] {
  const hops: string[] = [];
  for (let v = nextMinor(from); compareMinorVersions(v, to) <= 0; v = nextMinor(v)) hops.push(v);
  return hops;
}

/** Compares dotted release versions numerically (`v1.10.0` > `1.9.3`); non-numeric parts compare as text. */
function compareDottedVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  return 0;
}
